using System.Linq.Expressions;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;

namespace Crl.Web.Queries;

/// <summary>
/// Which runs a page or an endpoint asks for; empty fields do not filter. <paramref name="Ids"/> is the Compare page's
/// pick, <paramref name="WithResult"/> the Scaling page's "finished with a final time at goal".
/// </summary>
public sealed record RunFilter(string? Env = null, RunState? State = null, long? SweepId = null, IReadOnlyCollection<long>? Ids = null, bool WithResult = false,
    IReadOnlyCollection<long>? SweepIds = null)
{
    public IQueryable<Run> Apply(IQueryable<Run> runs)
    {
        if (!string.IsNullOrEmpty(Env)) runs = runs.Where(r => r.Env == Env);
        if (State is { } state) runs = runs.Where(r => r.State == state);
        if (SweepId is { } sweep) runs = runs.Where(r => r.SweepId == sweep);
        if (SweepIds is { } sweeps) runs = runs.Where(r => r.SweepId != null && sweeps.Contains(r.SweepId.Value));
        if (Ids is { } ids) runs = runs.Where(r => ids.Contains(r.Id));
        if (WithResult) runs = runs.Where(r => r.FinalTimeAtGoal != null);
        return runs;
    }
}

/// <summary>
/// A column to sort runs by, named as <see cref="RunSummary"/> names it (the grid's column names); an unknown name
/// sorts by id. Ties go newest first, so a page never reshuffles between loads.
/// </summary>
public sealed record RunOrder(string By, bool Descending)
{
    /// <summary>The Runs page's order before a column is picked.</summary>
    public static readonly RunOrder Newest = new(nameof(RunSummary.Id), Descending: true);

    /// <summary>The API's order: ids only grow, so a script paging through sees every run once.</summary>
    public static readonly RunOrder Oldest = new(nameof(RunSummary.Id), Descending: false);

    private static readonly Dictionary<string, Expression<Func<Run, object?>>> Keys = new()
    {
        [nameof(RunSummary.Id)] = r => r.Id,
        [nameof(RunSummary.Env)] = r => r.Env,
        [nameof(RunSummary.ActorDepth)] = r => r.ActorDepth,
        [nameof(RunSummary.CriticDepth)] = r => r.CriticDepth,
        [nameof(RunSummary.ActorWidth)] = r => r.ActorWidth,
        [nameof(RunSummary.BatchSize)] = r => r.BatchSize,
        [nameof(RunSummary.Seed)] = r => r.Seed,
        [nameof(RunSummary.State)] = r => r.State,
        [nameof(RunSummary.Progress)] = r => r.Progress,
        [nameof(RunSummary.LatestTimeAtGoal)] = r => r.LatestTimeAtGoal,
        [nameof(RunSummary.FinalTimeAtGoal)] = r => r.FinalTimeAtGoal,
        [nameof(RunSummary.CreatedAt)] = r => r.CreatedAt,
    };

    public IOrderedQueryable<Run> Apply(IQueryable<Run> runs)
    {
        var key = Keys.GetValueOrDefault(By) ?? Keys[nameof(RunSummary.Id)];
        return (Descending ? runs.OrderByDescending(key) : runs.OrderBy(key)).ThenByDescending(r => r.Id);
    }
}

/// <summary>One page of runs and how many match the filter in all.</summary>
public sealed record RunPage<T>(IReadOnlyList<T> Runs, int Total);

/// <summary>
/// Runs for the pages and the API alike: filtered, sorted and paged in the database, so lists stay fast with any
/// number of runs, and shaped as each caller shows them (<see cref="RunSummary"/> rows, <see cref="RunDetails"/>).
/// </summary>
public sealed class RunsQuery(IDbContextFactory<ExperimentDb> dbFactory)
{
    public Task<RunPage<RunSummary>> PageAsync(RunFilter filter, RunOrder order, int skip, int take, CancellationToken cancellationToken = default) =>
        PageAsync(filter, order, skip, take, RunSummary.Shape, cancellationToken);

    public async Task<RunPage<T>> PageAsync<T>(RunFilter filter, RunOrder order, int skip, int take, Expression<Func<Run, T>> shape, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = filter.Apply(db.Runs.AsNoTracking());
        var total = await runs.CountAsync(cancellationToken);
        var page = await order.Apply(runs).Skip(skip).Take(take).Select(shape).ToListAsync(cancellationToken);
        return new RunPage<T>(page, total);
    }

    /// <summary>Every matching run in id order, unpaged: a sweep's grid and results, the runs compared or plotted.</summary>
    public async Task<List<Run>> ListAsync(RunFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await filter.Apply(db.Runs.AsNoTracking()).OrderBy(r => r.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The runs of the given sweeps together with the given runs (a sweep or several, plus runs ticked on the Runs
    /// page), each once, in id order.
    /// </summary>
    public async Task<List<Run>> ListAsync(IReadOnlyCollection<long> sweepIds, IReadOnlyCollection<long> runIds, CancellationToken cancellationToken = default)
    {
        var runs = sweepIds.Count > 0 ? await ListAsync(new RunFilter(SweepIds: sweepIds), cancellationToken) : [];
        if (runIds.Count > 0)
        {
            var have = runs.Select(r => r.Id).ToHashSet();
            runs.AddRange((await ListAsync(new RunFilter(Ids: runIds), cancellationToken)).Where(r => !have.Contains(r.Id)));
        }
        return [.. runs.OrderBy(r => r.Id)];
    }

    /// <summary>
    /// Each run's training clock in seconds: the wall time of its last report. The clock carries on across resumes,
    /// unlike FinishedAt − StartedAt, which would count the time a run waited in the queue after its worker died.
    /// </summary>
    public async Task<Dictionary<long, double>> TrainingSecondsAsync(IReadOnlyCollection<long> runIds, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.MetricPoints.Where(p => runIds.Contains(p.RunId))
            .GroupBy(p => p.RunId)
            .Select(g => new { RunId = g.Key, Seconds = g.Max(p => p.WallTime) })
            .ToDictionaryAsync(g => g.RunId, g => g.Seconds, cancellationToken);
    }

    /// <summary>
    /// How many runs match and the newest change among them: every change to a run stamps its UpdatedAt, and a deleted
    /// run lowers the count, so an unchanged version means the matching runs read the same as before.
    /// </summary>
    public async Task<(int Count, DateTime? Newest)> VersionAsync(RunFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var version = await filter.Apply(db.Runs).GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Newest = g.Max(r => (DateTime?)r.UpdatedAt) })
            .SingleOrDefaultAsync(cancellationToken);
        return version is null ? (0, null) : (version.Count, version.Newest);
    }

    /// <summary>The environments the matching runs train on, for filter menus.</summary>
    public async Task<List<string>> EnvsAsync(RunFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await filter.Apply(db.Runs).Select(r => r.Env).Distinct().OrderBy(e => e).ToListAsync(cancellationToken);
    }

    public async Task<RunDetails?> RunAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return run is null ? null : RunDetails.Of(run);
    }

    public async Task<bool> ExistsAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AnyAsync(r => r.Id == id, cancellationToken);
    }

    public async Task<List<Checkpoint>> CheckpointsAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Checkpoints.AsNoTracking().Where(c => c.RunId == runId).OrderBy(c => c.EnvSteps).ToListAsync(cancellationToken);
    }

    public async Task<Checkpoint?> CheckpointAsync(long runId, long checkpointId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Checkpoints.AsNoTracking().SingleOrDefaultAsync(c => c.Id == checkpointId && c.RunId == runId, cancellationToken);
    }
}

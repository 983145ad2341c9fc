using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;

namespace Crl.Web.Queries;

/// <summary>Filters of the Runs page; empty fields do not filter.</summary>
public sealed record RunFilter(string? Env = null, RunState? State = null, long? SweepId = null);

/// <summary>The Runs page's table: filtered, sorted and paged in the database, so it stays fast with any number of runs.</summary>
public sealed class RunsQuery(IDbContextFactory<ExperimentDb> dbFactory)
{
    /// <summary>Columns the table sorts by, keyed by the names the grid's columns use.</summary>
    private static readonly Dictionary<string, System.Linq.Expressions.Expression<Func<Run, object?>>> SortKeys = new()
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

    public async Task<(List<RunSummary> Runs, int Total)> PageAsync(RunFilter filter, string? sortBy, bool descending, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Runs.AsNoTracking();
        if (!string.IsNullOrEmpty(filter.Env)) query = query.Where(r => r.Env == filter.Env);
        if (filter.State is { } state) query = query.Where(r => r.State == state);
        if (filter.SweepId is { } sweep) query = query.Where(r => r.SweepId == sweep);
        var total = await query.CountAsync(cancellationToken);

        var key = sortBy is not null && SortKeys.TryGetValue(sortBy, out var k) ? k : SortKeys[nameof(RunSummary.Id)];
        var ordered = descending || sortBy is null ? query.OrderByDescending(key) : query.OrderBy(key);
        var runs = await RunSummary.From(ordered.ThenByDescending(r => r.Id).Skip(skip).Take(take)).ToListAsync(cancellationToken);
        return (runs, total);
    }

    public async Task<List<string>> EnvsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.Select(r => r.Env).Distinct().OrderBy(e => e).ToListAsync(cancellationToken);
    }
}

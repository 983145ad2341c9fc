using System.Reflection;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Sweeps;
using Crl.Jobs.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Runs;

/// <summary>
/// Everything that changes what should train: launching sweeps, cancelling, retrying, filling and deleting them. It only writes Run
/// rows: a Queued run is picked up by a <see cref="RunDispatcher"/>, which gives it its Hangfire job when a worker
/// slot is about to free up, and the job decides from the row what to do.
/// </summary>
public sealed class RunQueue(IDbContextFactory<ExperimentDb> dbFactory, TimeProvider clock, IOptions<CrlOptions> options)
{
    private readonly RunFiles files = new(options);

    public const string TrainingQueue = "training";

    public static readonly string CodeVersion =
        typeof(RunQueue).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// Stores the sweep and its runs, all Queued, owned by <paramref name="ownerId"/> (null: the automation token).
    /// Throws <see cref="SweepRejected"/> (<see cref="SweepOverLimits"/> when it is over <c>Crl:Limits</c>) with nothing
    /// stored. The owner's queued and running runs count against <c>Crl:Limits:MaxActiveRunsPerUser</c>.
    /// </summary>
    public async Task<Sweep> LaunchAsync(SweepRequest request, long? ownerId = null, CancellationToken cancellationToken = default)
    {
        var plan = SweepPlanner.Plan(request);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        SweepLimits.Check(plan, options.Value.Limits, await ActiveRunsOf(db, ownerId).CountAsync(cancellationToken));
        var now = Now();
        var sweep = new Sweep { Name = plan.Name, SpecJson = StoredConfig.WriteSpec(plan.Request), OwnerId = ownerId, CreatedAt = now };
        sweep.Runs.AddRange(plan.Runs.Select(r => NewRun(r, now)));
        db.Sweeps.Add(sweep);
        await db.SaveChangesAsync(cancellationToken);
        return sweep;
    }

    /// <summary>The launching user's queued and running runs, which <c>Crl:Limits:MaxActiveRunsPerUser</c> bounds.</summary>
    public async Task<int> ActiveRunsOfAsync(long? ownerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ActiveRunsOf(db, ownerId).CountAsync(cancellationToken);
    }

    // A run belongs to its sweep's owner; the automation token's sweeps have none and share one allowance.
    private static IQueryable<Run> ActiveRunsOf(ExperimentDb db, long? ownerId) =>
        db.Runs.Where(r => (r.State == RunState.Queued || r.State == RunState.Running) && r.Sweep!.OwnerId == ownerId);

    /// <summary>Queued runs end at once; running ones are asked to stop and end Cancelled when their trainer stops.</summary>
    public async Task<int> CancelRunsAsync(IQueryable<Run> runs, CancellationToken cancellationToken = default)
    {
        var now = Now();
        var queued = await runs.Where(r => r.State == RunState.Queued).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.State, RunState.Cancelled)
            .SetProperty(r => r.FinishedAt, now)
            .SetProperty(r => r.UpdatedAt, now), cancellationToken);
        var running = await runs.Where(r => r.State == RunState.Running && !r.CancelRequested).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.CancelRequested, true)
            .SetProperty(r => r.UpdatedAt, now), cancellationToken);
        return queued + running;
    }

    public async Task<int> CancelRunAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await CancelRunsAsync(db.Runs.Where(r => r.Id == runId), cancellationToken);
    }

    public async Task<int> CancelSweepAsync(long sweepId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await CancelRunsAsync(db.Runs.Where(r => r.SweepId == sweepId), cancellationToken);
    }

    /// <summary>
    /// Failed and cancelled runs go back to the queue; they resume from their newest checkpoint. Throws
    /// <see cref="SweepOverLimits"/>, with nothing changed, when that would put the sweep's owner over <c>Crl:Limits</c>.
    /// </summary>
    public async Task<IReadOnlyList<long>> RetryAsync(IQueryable<Run> runs, CancellationToken cancellationToken = default)
    {
        var retried = await Retriable(runs).Select(r => new RetriedRun(r.Id, r.Sweep!.OwnerId, r.ConfigJson, r.ActorParameters, r.SaEncoderParameters, r.GEncoderParameters))
            .ToListAsync(cancellationToken);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            foreach (var owner in retried.GroupBy(r => r.OwnerId))
                await CheckRequeueAsync(db, owner.Key, owner.Select(r => r.Planned()).ToList(), cancellationToken);
        return await RequeueAsync(retried.Select(r => r.Id).ToList(), [RunState.Failed, RunState.Cancelled], cancellationToken);
    }

    private static IQueryable<Run> Retriable(IQueryable<Run> runs) => runs.Where(r => r.State == RunState.Failed || r.State == RunState.Cancelled);

    private async Task CheckRequeueAsync(ExperimentDb db, long? ownerId, IReadOnlyList<PlannedRun> queued, CancellationToken cancellationToken)
    {
        if (queued.Count == 0) return;
        var active = await ActiveRunsOf(db, ownerId).CountAsync(cancellationToken);
        if (SweepLimits.ExceededByRequeue(queued, options.Value.Limits, active) is { Count: > 0 } exceeded) throw new SweepOverLimits(exceeded);
    }

    /// <summary>A run about to be retried, with what the limits need to know about it.</summary>
    private sealed record RetriedRun(long Id, long? OwnerId, string ConfigJson, long Actor, long SaEncoder, long GEncoder)
    {
        public PlannedRun Planned() => new(StoredConfig.Read(ConfigJson), new Core.Networks.NetworkSizes(Actor, SaEncoder, GEncoder));
    }

    public async Task<IReadOnlyList<long>> RetryRunAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await RetryAsync(db.Runs.Where(r => r.Id == runId), cancellationToken);
    }

    public async Task<IReadOnlyList<long>> RetrySweepAsync(long sweepId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await RetryAsync(db.Runs.Where(r => r.SweepId == sweepId), cancellationToken);
    }

    /// <summary>
    /// Makes the sweep complete: cells of its grid with no run get one, and failed or cancelled runs are retried.
    /// Returns the ids of the runs queued. Throws <see cref="SweepOverLimits"/>, with nothing changed, when the new and
    /// retried runs together would put the sweep's owner over <c>Crl:Limits</c>.
    /// </summary>
    public async Task<IReadOnlyList<long>> FillSweepAsync(long sweepId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sweep = await db.Sweeps.SingleAsync(s => s.Id == sweepId, cancellationToken);
        var request = StoredConfig.ReadSpec<SweepRequest>(sweep.SpecJson);
        // Cells are matched by their grid axes, not by config text: a knob added since the sweep was stored changes
        // every config's JSON but not which cells have a run.
        var existing = (await db.Runs.Where(r => r.SweepId == sweepId)
                .Select(r => new { r.Env, r.ActorDepth, r.CriticDepth, r.ActorWidth, r.CriticWidth, r.BatchSize, r.Seed })
                .ToListAsync(cancellationToken))
            .Select(r => new GridCell(r.Env, r.ActorDepth, r.CriticDepth, r.ActorWidth, r.CriticWidth, r.BatchSize, r.Seed))
            .ToHashSet();

        var now = Now();
        var planned = SweepPlanner.Plan(request).Runs.Where(r => !existing.Contains(GridCell.Of(r.Config))).ToList();
        var retriable = await Retriable(db.Runs.Where(r => r.SweepId == sweepId))
            .Select(r => new RetriedRun(r.Id, sweep.OwnerId, r.ConfigJson, r.ActorParameters, r.SaEncoderParameters, r.GEncoderParameters))
            .ToListAsync(cancellationToken);
        await CheckRequeueAsync(db, sweep.OwnerId, [.. planned, .. retriable.Select(r => r.Planned())], cancellationToken);

        var missing = planned.Select(r => { var run = NewRun(r, now); run.SweepId = sweepId; return run; }).ToList();
        db.Runs.AddRange(missing);
        await db.SaveChangesAsync(cancellationToken);

        var retried = await RetryAsync(db.Runs.Where(r => r.SweepId == sweepId), cancellationToken);
        return [.. missing.Select(r => r.Id), .. retried];
    }

    /// <summary>
    /// Removes a sweep for good: its runs, their metric points and checkpoint rows, and their files under the data
    /// directory. Returns the number of runs removed, or null when there is no such sweep. Throws
    /// <see cref="SweepStillRunning"/>, with nothing changed, while a run trains: its trainer still writes rows and
    /// files, so the sweep must be cancelled first.
    /// </summary>
    public async Task<int?> DeleteSweepAsync(long sweepId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.Sweeps.AnyAsync(s => s.Id == sweepId, cancellationToken)) return null;
        var runs = db.Runs.Where(r => r.SweepId == sweepId);
        // First a write, so that no dispatcher can start one of its queued runs between the check and the delete.
        await runs.Where(r => r.State == RunState.Queued).ExecuteUpdateAsync(set => set.SetProperty(r => r.State, RunState.Cancelled), cancellationToken);
        if (await runs.CountAsync(r => r.State == RunState.Running, cancellationToken) is > 0 and var running)
            throw new SweepStillRunning(sweepId, running);

        var runIds = await runs.Select(r => r.Id).ToListAsync(cancellationToken);
        await db.MetricPoints.Where(p => runIds.Contains(p.RunId)).ExecuteDeleteAsync(cancellationToken);
        await db.Checkpoints.Where(c => runIds.Contains(c.RunId)).ExecuteDeleteAsync(cancellationToken);
        await runs.ExecuteDeleteAsync(cancellationToken);
        await db.Sweeps.Where(s => s.Id == sweepId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // After the commit: files without rows are harmless, rows without files would not be.
        foreach (var id in runIds)
        {
            var directory = files.RunDirectory(id);
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        return runIds.Count;
    }

    /// <summary>Puts runs back in the queue (a user's retry); the dispatcher gives each a fresh job.</summary>
    public async Task<IReadOnlyList<long>> RequeueAsync(IReadOnlyList<long> runIds, RunState[] from, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var requeued = new List<long>();
        foreach (var id in runIds)
        {
            var now = Now();
            var changed = await db.Runs.Where(r => r.Id == id && from.Contains(r.State)).ExecuteUpdateAsync(set => set
                .SetProperty(r => r.State, RunState.Queued)
                .SetProperty(r => r.CancelRequested, false)
                .SetProperty(r => r.Error, (string?)null)
                .SetProperty(r => r.FinishedAt, (DateTime?)null)
                .SetProperty(r => r.JobId, (string?)null)
                .SetProperty(r => r.UpdatedAt, now), cancellationToken);
            if (changed == 1) requeued.Add(id);
        }
        return requeued;
    }

    private Run NewRun(PlannedRun planned, DateTime now) => new()
    {
        ConfigJson = StoredConfig.Write(planned.Config),
        Env = planned.Config.Env,
        ActorDepth = planned.Config.ActorDepth,
        CriticDepth = planned.Config.CriticDepth,
        ActorWidth = planned.Config.ActorWidth,
        CriticWidth = planned.Config.CriticWidth,
        BatchSize = planned.Config.BatchSize,
        Seed = planned.Config.Seed,
        TotalEnvSteps = planned.Config.TotalEnvSteps,
        ActorParameters = planned.Sizes.Actor,
        SaEncoderParameters = planned.Sizes.SaEncoder,
        GEncoderParameters = planned.Sizes.GEncoder,
        TotalParameters = planned.Sizes.Total,
        CodeVersion = CodeVersion,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    /// <summary>A sweep's cell: the values of its grid axes (<see cref="SweepPlanner"/>'s axes, the Run columns).</summary>
    private sealed record GridCell(string Env, int ActorDepth, int CriticDepth, int ActorWidth, int CriticWidth, int BatchSize, long Seed)
    {
        public static GridCell Of(Core.Training.CrlConfig c) => new(c.Env, c.ActorDepth, c.CriticDepth, c.ActorWidth, c.CriticWidth, c.BatchSize, c.Seed);
    }
}

/// <summary>A sweep that cannot be deleted yet: some of its runs are training.</summary>
public sealed class SweepStillRunning(long sweepId, int running)
    : InvalidOperationException($"sweep {sweepId} has {running} run(s) still running; cancel it first, then delete it once they have stopped");

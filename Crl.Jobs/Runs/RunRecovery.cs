using Crl.Jobs.Configuration;
using Crl.Jobs.Hosting;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Runs;

/// <summary>
/// In every worker, two kinds of stuck runs go back to the dispatcher, which gives them a fresh job:
/// <list type="bullet">
/// <item>runs whose worker died while training them (no heartbeat within the lease timeout); they resume from their
/// last checkpoint;</item>
/// <item>Queued runs whose job will not take the lease: it was fetched by a job server that died before the job
/// took it (Processing on a server that no longer beats), or it ended without training (failed on a database
/// error, deleted on the Hangfire dashboard). The storage would hide a fetched job for its whole invisibility
/// timeout: two days on SQLite, which has no keep-alive (stack.md).</item>
/// </list>
/// When a late copy of an old job starts anyway, the lease makes it a no-op.
/// </summary>
public sealed class RunRecovery(
    RunLease lease,
    IDbContextFactory<ExperimentDb> dbFactory,
    JobStorage storage,
    IBackgroundJobClient jobs,
    IOptions<CrlOptions> options,
    ILogger<RunRecovery> logger) : PeriodicService(logger)
{
    private static readonly string[] Ended = [SucceededState.StateName, FailedState.StateName, DeletedState.StateName];

    // Four looks per lease timeout, but not more than one a second.
    protected override TimeSpan Period => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, (options.Value.Workers.LeaseTimeout / 4).Ticks));

    protected override string FailureMessage => "Looking for runs of dead workers failed";

    protected override async Task TickAsync(CancellationToken cancellationToken)
    {
        var reclaimed = await lease.ReclaimStaleAsync(cancellationToken);
        if (reclaimed.Count > 0)
            logger.LogWarning("Re-queued run(s) {RunIds}: their worker stopped renewing the lease", string.Join(", ", reclaimed));

        var orphaned = await RedispatchOrphanedAsync(cancellationToken);
        if (orphaned.Count > 0)
            logger.LogWarning("Gave run(s) {RunIds} a fresh job: their job was taken by a dead worker or ended without training", string.Join(", ", orphaned));
    }

    public async Task<IReadOnlyList<long>> RedispatchOrphanedAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // At most about as many as there are live worker slots: the dispatcher keeps no more jobs waiting.
        var waiting = await db.Runs.Where(r => r.State == RunState.Queued && r.JobId != null && r.JobId != RunDispatcher.Claimed)
            .Select(r => new { r.Id, r.JobId }).ToListAsync(cancellationToken);
        if (waiting.Count == 0) return [];

        var live = JobServers.Live(storage, options.Value.Workers.LeaseTimeout).Select(s => s.Name).ToHashSet();
        var redispatched = new List<long>();
        using var connection = storage.GetConnection();
        foreach (var run in waiting)
        {
            var state = connection.GetStateData(run.JobId!);
            var orphaned = state is null
                || Ended.Contains(state.Name)
                || (state.Name == ProcessingState.StateName && !(state.Data.TryGetValue("ServerId", out var server) && live.Contains(server)));
            if (!orphaned) continue;

            var changed = await db.Runs.Where(r => r.Id == run.Id && r.State == RunState.Queued && r.JobId == run.JobId)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.JobId, (string?)null), cancellationToken);
            if (changed == 0) continue;
            // So that the storage does not hand the dead worker's job out again once its invisibility timeout ends.
            if (state?.Name == ProcessingState.StateName)
                jobs.ChangeState(run.JobId!, new DeletedState { Reason = "its worker died before the run started; the run got a fresh job" }, ProcessingState.StateName);
            redispatched.Add(run.Id);
        }
        return redispatched;
    }
}

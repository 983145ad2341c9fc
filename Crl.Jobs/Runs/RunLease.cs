using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Runs;

/// <summary>What a heartbeat learned: whether this worker still holds the run, and whether a user asked it to stop.</summary>
public readonly record struct LeaseStatus(bool Held, bool CancelRequested);

/// <summary>
/// The Run row's lease: one conditional UPDATE per operation, so of two workers that race for a run exactly one
/// wins, and a worker whose heartbeat went stale finds out at its next beat.
/// </summary>
public sealed class RunLease(IDbContextFactory<ExperimentDb> dbFactory, IOptions<CrlOptions> options, TimeProvider clock)
{
    private TimeSpan Timeout => options.Value.Workers.LeaseTimeout;

    /// <summary>Takes a queued run, or a running one whose holder stopped beating.</summary>
    public async Task<bool> TryClaimAsync(long runId, string worker, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = Now();
        var stale = now - Timeout;
        var claimed = await db.Runs
            .Where(r => r.Id == runId && !r.CancelRequested
                && (r.State == RunState.Queued || (r.State == RunState.Running && r.HeartbeatAt < stale)))
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.State, RunState.Running)
                .SetProperty(r => r.LeaseOwner, worker)
                .SetProperty(r => r.HeartbeatAt, now)
                .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now)
                .SetProperty(r => r.Attempts, r => r.Attempts + 1)
                .SetProperty(r => r.UpdatedAt, now), cancellationToken);
        return claimed == 1;
    }

    /// <summary>How many times the run was started, this start included.</summary>
    public async Task<int> AttemptsAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.Where(r => r.Id == runId).Select(r => r.Attempts).SingleAsync(cancellationToken);
    }

    public async Task<LeaseStatus> HeartbeatAsync(long runId, string worker, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = Now();
        var held = await db.Runs
            .Where(r => r.Id == runId && r.State == RunState.Running && r.LeaseOwner == worker)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.HeartbeatAt, now), cancellationToken);
        var cancel = held == 1 && await db.Runs.Where(r => r.Id == runId).Select(r => r.CancelRequested).SingleAsync(cancellationToken);
        return new LeaseStatus(held == 1, cancel);
    }

    /// <summary>Ends the run, if this worker still holds it.</summary>
    public async Task<bool> FinishAsync(long runId, string worker, RunState state, string? error, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = Now();
        var changed = await db.Runs
            .Where(r => r.Id == runId && r.State == RunState.Running && r.LeaseOwner == worker)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.State, state)
                .SetProperty(r => r.Error, error)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Progress, r => state == RunState.Succeeded ? 1 : r.Progress)
                .SetProperty(r => r.UpdatedAt, now), cancellationToken);
        return changed == 1;
    }

    /// <summary>
    /// Gives the run back to the queue (this worker is shutting down) with no job, so a dispatcher gives it a fresh
    /// one; should Hangfire also re-run the old job, the lease lets only one of the two train.
    /// </summary>
    public async Task ReleaseAsync(long runId, string worker, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = Now();
        await db.Runs
            .Where(r => r.Id == runId && r.State == RunState.Running && r.LeaseOwner == worker)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.State, RunState.Queued)
                .SetProperty(r => r.HeartbeatAt, (DateTime?)null)
                .SetProperty(r => r.JobId, (string?)null)
                .SetProperty(r => r.UpdatedAt, now), cancellationToken);
    }

    /// <summary>Runs marked Running whose holder has not beaten within the lease timeout, put back in the queue.</summary>
    public async Task<IReadOnlyList<long>> ReclaimStaleAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stale = Now() - Timeout;
        var candidates = await db.Runs.Where(r => r.State == RunState.Running && r.HeartbeatAt < stale)
            .Select(r => r.Id).ToListAsync(cancellationToken);
        var reclaimed = new List<long>();
        foreach (var id in candidates)
        {
            var now = Now();
            var changed = await db.Runs.Where(r => r.Id == id && r.State == RunState.Running && r.HeartbeatAt < stale)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(r => r.State, RunState.Queued)
                    .SetProperty(r => r.HeartbeatAt, (DateTime?)null)
                    .SetProperty(r => r.JobId, (string?)null)
                    .SetProperty(r => r.UpdatedAt, now), cancellationToken);
            if (changed == 1) reclaimed.Add(id);
        }
        return reclaimed;
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}

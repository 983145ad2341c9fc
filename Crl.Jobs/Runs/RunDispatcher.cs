using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Crl.Jobs.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Runs;

/// <summary>
/// Gives Queued runs their Hangfire job, oldest first, keeping only as many jobs waiting as there are worker slots.
/// Creating a Hangfire job costs a few synchronous SQLite commits (about 10 ms here), so a 1,000-run sweep queued
/// job by job would take ten seconds; as rows it takes milliseconds, and jobs follow as slots come free. Every worker
/// runs one; a conditional update on the row makes sure each run gets one job however many dispatchers race.
/// </summary>
public sealed class RunDispatcher(
    IDbContextFactory<ExperimentDb> dbFactory,
    IBackgroundJobClient jobs,
    JobStorage storage,
    IOptions<CrlOptions> options,
    ILogger<RunDispatcher> logger) : PeriodicService(logger)
{
    /// <summary>The JobId of a run between its claim by a dispatcher and the creation of its job.</summary>
    public const string Claimed = "dispatching";

    protected override TimeSpan Period => options.Value.Hangfire.QueuePollInterval;

    protected override string FailureMessage => "Dispatching queued runs failed";

    protected override Task TickAsync(CancellationToken cancellationToken) => DispatchAsync(cancellationToken);

    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var waiting = await db.Runs.CountAsync(r => r.State == RunState.Queued && r.JobId != null, cancellationToken);
        var room = LiveTrainingSlots() - waiting;
        if (room <= 0) return 0;

        var candidates = await db.Runs.Where(r => r.State == RunState.Queued && r.JobId == null)
            .OrderBy(r => r.Id).Select(r => r.Id).Take(room).ToListAsync(cancellationToken);
        var dispatched = 0;
        foreach (var id in candidates)
        {
            var mine = await db.Runs.Where(r => r.Id == id && r.State == RunState.Queued && r.JobId == null)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.JobId, Claimed), cancellationToken);
            if (mine == 0) continue;
            var jobId = jobs.Create<RunJob>(job => job.ExecuteAsync(id, CancellationToken.None), new EnqueuedState(RunQueue.TrainingQueue));
            await db.Runs.Where(r => r.Id == id).ExecuteUpdateAsync(set => set.SetProperty(r => r.JobId, jobId), cancellationToken);
            dispatched++;
        }
        return dispatched;
    }

    // Slots of live servers that take the training queue; at least one, so a lone worker starting up gets work.
    private int LiveTrainingSlots()
    {
        var slots = JobServers.Live(storage, options.Value.Workers.LeaseTimeout)
            .Where(s => s.Queues.Contains(RunQueue.TrainingQueue))
            .Sum(s => s.WorkersCount);
        return Math.Max(1, slots);
    }
}

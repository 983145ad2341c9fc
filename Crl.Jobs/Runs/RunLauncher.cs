using System.Text.Json;
using Crl.Core.Training;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Crl.Jobs.Runs;

/// <summary>Creates Run rows and queues the job that executes them: the one way a run gets started.</summary>
public sealed class RunLauncher(IDbContextFactory<ExperimentDb> dbFactory, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string TrainingQueue = "training";

    public async Task<Run> QueueWarmupAsync(RegressionWarmupConfig config, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var run = new Run
        {
            Kind = RunKinds.RegressionWarmup,
            ConfigJson = JsonSerializer.Serialize(config),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);

        run.JobId = jobs.Create<RunJob>(job => job.ExecuteAsync(run.Id, CancellationToken.None),
            new Hangfire.States.EnqueuedState(TrainingQueue));
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }
}

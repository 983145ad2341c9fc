using System.Text.Json;
using Crl.Core.Training;
using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Runs;

/// <summary>
/// The Hangfire job behind one run: claims the Run row, trains, records metrics and progress, and sets the final
/// state. A job whose run is no longer Queued (already claimed or finished) does nothing.
/// </summary>
public sealed class RunJob(
    IDbContextFactory<ExperimentDb> dbFactory,
    IOptions<CrlOptions> options,
    WorkerIdentity worker,
    TimeProvider clock,
    ILogger<RunJob> logger)
{
    [AutomaticRetry(Attempts = 0)]
    [Queue(RunLauncher.TrainingQueue)]
    public async Task ExecuteAsync(long runId, CancellationToken cancellationToken)
    {
        if (!await TryClaimAsync(runId, cancellationToken))
        {
            logger.LogInformation("Run {RunId} is not queued any more; nothing to do", runId);
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.SingleAsync(r => r.Id == runId, cancellationToken);
        try
        {
            var config = JsonSerializer.Deserialize<RegressionWarmupConfig>(run.ConfigJson)
                ?? throw new InvalidDataException($"run {runId} has an empty configuration");
            config = config with { Device = options.Value.Training.Device };
            logger.LogInformation("Run {RunId} started on {Worker}: {Config}", runId, worker.Name, config);

            RegressionWarmup.Fit(config, point =>
            {
                db.MetricPoints.Add(new MetricPoint { RunId = runId, Name = "training/loss", Step = point.Step, WallTime = point.Elapsed, Value = point.Loss });
                run.Progress = (double)point.Step / config.Steps;
                run.UpdatedAt = clock.GetUtcNow().UtcDateTime;
                db.SaveChanges();
            }, cancellationToken);

            Finish(run, RunState.Succeeded, error: null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Finish(run, RunState.Cancelled, error: null);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {RunId} failed", runId);
            Finish(run, RunState.Failed, e.Message);
        }
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Run {RunId} ended {State}", runId, run.State);
    }

    private async Task<bool> TryClaimAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        // One conditional UPDATE: of two workers that fetched the same job, only one sees a row change.
        var claimed = await db.Runs
            .Where(r => r.Id == runId && r.State == RunState.Queued)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.State, RunState.Running)
                .SetProperty(r => r.StartedAt, now)
                .SetProperty(r => r.UpdatedAt, now)
                .SetProperty(r => r.WorkerName, worker.Name), cancellationToken);
        return claimed == 1;
    }

    private void Finish(Run run, RunState state, string? error)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        run.State = state;
        run.Error = error;
        run.FinishedAt = now;
        run.UpdatedAt = now;
        if (state == RunState.Succeeded) run.Progress = 1;
    }
}

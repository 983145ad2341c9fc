using Crl.Core.Training;
using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence;
using Crl.Jobs.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Runs;

/// <summary>How a training process ended; also its exit code.</summary>
public enum RunOutcome
{
    Succeeded = 0,
    Failed = 1,
    Stopped = 3,
}

/// <summary>
/// Trains one run inside the training process: resume from the newest checkpoint if there is one (deleting metric
/// points and checkpoints logged after it, so a crash never duplicates or loses points), otherwise start fresh.
/// </summary>
public sealed class RunExecution(
    IDbContextFactory<ExperimentDb> dbFactory,
    MetricStore metrics,
    RunFiles files,
    IOptions<CrlOptions> options,
    TimeProvider clock,
    ILoggerFactory loggers)
{
    private readonly ILogger logger = loggers.CreateLogger<RunExecution>();

    public RunOutcome Execute(long runId, string leaseOwner, CancellationToken stop)
    {
        using var db = dbFactory.CreateDbContext();
        var run = db.Runs.AsNoTracking().Single(r => r.Id == runId);
        var config = StoredConfig.Read(run.ConfigJson);
        // The worker knows its hardware: its settings decide where and how wide a run trains, fresh or resumed (a
        // checkpoint remembers the hardware of the worker that wrote it).
        config = config with
        {
            Device = config.Device == "auto" ? options.Value.Training.Device : config.Device,
            TorchThreads = options.Value.Training.Threads > 0 ? options.Value.Training.Threads : config.TorchThreads,
        };

        var latest = files.LatestCheckpoint(runId);
        var resumable = File.Exists(Path.Combine(latest, "trainer.json"));
        using var trainer = resumable
            ? CrlTrainer.Resume(latest, config.Device, config.TorchThreads, loggers.CreateLogger<CrlTrainer>())
            : new CrlTrainer(config, loggers.CreateLogger<CrlTrainer>());
        var resumedAt = resumable ? trainer.Counters.EnvSteps : -1;
        var dropped = metrics.DeleteAfter(runId, resumedAt);
        DropCheckpointsAfter(db, runId, resumedAt);
        TrajectoryFile.DropAfter(files.Trajectories(runId), resumedAt);
        if (resumable)
            logger.LogInformation("Run {RunId} resumes at env step {Step} (epoch {Epoch}); {Dropped} later metric point(s) dropped",
                runId, trainer.Counters.EnvSteps, trainer.Counters.Epoch, dropped);
        else
            logger.LogInformation("Run {RunId} starts fresh; {Dropped} stale metric point(s) dropped", runId, dropped);

        try
        {
            using var resources = new ProcessResources(onGpu: trainer.Device.type == TorchSharp.DeviceType.CUDA, clock);
            var recorder = new RunRecorder(runId, leaseOwner, trainer.Config.NumEpochs, trainer.Config.TrainingStepsPerEpoch, dbFactory, metrics, files, resources, clock);
            trainer.Run(recorder, stop, files.CheckpointRoot(runId));
            return RunOutcome.Succeeded;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            logger.LogInformation("Run {RunId} stopped at env step {Step}", runId, trainer.Counters.EnvSteps);
            return RunOutcome.Stopped;
        }
    }

    private void DropCheckpointsAfter(ExperimentDb db, long runId, long step)
    {
        foreach (var stale in db.Checkpoints.Where(c => c.RunId == runId && c.EnvSteps > step).ToList())
        {
            File.Delete(files.Resolve(stale.RelativePath));
            db.Checkpoints.Remove(stale);
        }
        db.SaveChanges();
    }
}

using Crl.Core.Training;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Resources;
using Microsoft.EntityFrameworkCore;

namespace Crl.Jobs.Runs;

/// <summary>
/// The trainer's observer inside a worker: each epoch's metrics become metric points, the Run row's progress and
/// latest/final results follow them, a maze task's evaluation paths replace <c>trajectories.json</c>, and kept
/// checkpoints are archived and recorded. The process's resource use (when given) is recorded with each report's metrics.
/// NaN losses fail the run.
/// </summary>
public sealed class RunRecorder(
    long runId, string leaseOwner, int numEpochs, long stepsPerEpoch, IDbContextFactory<ExperimentDb> dbFactory, MetricStore metrics, RunFiles files,
    ProcessResources? resources, TimeProvider clock)
    : ITrainingObserver
{
    /// <summary>The paper's single number: the mean over the last five evaluations (algorithm.md §4).</summary>
    public const int FinalWindow = 5;

    // Progress between epochs goes to the row at most this often: an epoch of a deep run takes many minutes on CPU.
    private static readonly TimeSpan StepProgressInterval = TimeSpan.FromSeconds(2);

    private double? latestTimeAtGoal;
    private DateTime lastStepProgress = DateTime.MinValue;

    public void OnTrainingStep(TrainingCounters counters, int epochIndex, long stepInEpoch)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (now - lastStepProgress < StepProgressInterval) return;
        lastStepProgress = now;
        using var db = dbFactory.CreateDbContext();
        var progress = Math.Min(1.0, (epochIndex + (stepInEpoch + 1.0) / Math.Max(1, stepsPerEpoch)) / numEpochs);
        db.Runs.Where(r => r.Id == runId && r.LeaseOwner == leaseOwner).ExecuteUpdate(set => set
            .SetProperty(r => r.EnvStepsDone, counters.EnvSteps)
            .SetProperty(r => r.Progress, progress)
            .SetProperty(r => r.UpdatedAt, now));
    }

    public void OnMetrics(MetricReport report)
    {
        EnsureLeaseHeld();
        // Before the points: a page that hears of this evaluation's points re-reads the file and finds it already there.
        if (report.Trajectories is { } trajectories)
            TrajectoryFile.Write(files.Trajectories(runId), new StoredTrajectories(report.Epoch, report.EnvSteps, trajectories));
        var points = report.Values.Concat(resources?.Sample() ?? Enumerable.Empty<KeyValuePair<string, double>>())
            .Where(kv => double.IsFinite(kv.Value))
            .Select(kv => new MetricPoint { RunId = runId, Name = kv.Key, Step = report.EnvSteps, WallTime = report.WallTimeSeconds, Value = kv.Value })
            .ToList();
        metrics.Append(points);

        using var db = dbFactory.CreateDbContext();
        var final = Final(db, MetricNames.EpisodeSuccess);
        var finalRate = Final(db, MetricNames.EpisodeSuccessAny);
        report.Values.TryGetValue(MetricNames.EpisodeSuccess, out var timeAtGoal);
        report.Values.TryGetValue(MetricNames.EpisodeSuccessAny, out var successRate);
        latestTimeAtGoal = timeAtGoal;
        var now = clock.GetUtcNow().UtcDateTime;
        db.Runs.Where(r => r.Id == runId && r.LeaseOwner == leaseOwner).ExecuteUpdate(set => set
            .SetProperty(r => r.EpochsDone, report.Epoch)
            .SetProperty(r => r.EnvStepsDone, report.EnvSteps)
            .SetProperty(r => r.Progress, Math.Min(1.0, (double)report.Epoch / numEpochs))
            .SetProperty(r => r.LatestTimeAtGoal, timeAtGoal)
            .SetProperty(r => r.LatestSuccessRate, successRate)
            .SetProperty(r => r.FinalTimeAtGoal, final)
            .SetProperty(r => r.FinalSuccessRate, finalRate)
            .SetProperty(r => r.UpdatedAt, now));

        var diverged = report.Values.Where(kv => kv.Key.StartsWith("training/", StringComparison.Ordinal) && double.IsNaN(kv.Value)).Select(kv => kv.Key).ToList();
        if (diverged.Count > 0)
            throw new TrainingDivergedException($"losses became NaN at env step {report.EnvSteps:N0} ({string.Join(", ", diverged)})");
    }

    public void OnCheckpoint(CheckpointWritten checkpoint)
    {
        if (!checkpoint.Kept) return;
        var archived = CheckpointArchive.Pack(checkpoint.Directory);
        using var db = dbFactory.CreateDbContext();
        db.Checkpoints.Add(new Checkpoint
        {
            RunId = runId,
            Epoch = checkpoint.Epoch,
            EnvSteps = checkpoint.EnvSteps,
            RelativePath = files.Relative(archived.Path),
            SizeBytes = archived.SizeBytes,
            Sha256 = archived.Sha256,
            TimeAtGoal = latestTimeAtGoal,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        db.SaveChanges();
    }

    /// <summary>
    /// A worker that lost its lease (it was presumed dead and the run went to another worker) must stop writing:
    /// the new holder has already dropped the points after its checkpoint.
    /// </summary>
    private void EnsureLeaseHeld()
    {
        using var db = dbFactory.CreateDbContext();
        var now = clock.GetUtcNow().UtcDateTime;
        var held = db.Runs.Where(r => r.Id == runId && r.State == RunState.Running && r.LeaseOwner == leaseOwner)
            .ExecuteUpdate(set => set.SetProperty(r => r.UpdatedAt, now));
        if (held == 0) throw new LeaseLostException($"run {runId} is no longer held by {leaseOwner}");
    }

    private double? Final(ExperimentDb db, string metric)
    {
        var last = db.MetricPoints.Where(p => p.RunId == runId && p.Name == metric)
            .OrderByDescending(p => p.Step).Take(FinalWindow).Select(p => p.Value).ToList();
        return last.Count == 0 ? null : last.Average();
    }
}

/// <summary>This process's worker no longer holds the run.</summary>
public sealed class LeaseLostException(string message) : Exception(message);

/// <summary>Training produced NaN losses; the run fails with this message.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);

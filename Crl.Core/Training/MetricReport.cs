namespace Crl.Core.Training;

/// <summary>One epoch's metrics, tagged with where the run stood when they were taken.</summary>
/// <param name="Epoch">Epochs completed (0 = before training).</param>
/// <param name="EnvSteps">Environment steps taken so far, prefill included.</param>
/// <param name="Updates">SGD updates so far.</param>
/// <param name="WallTimeSeconds">Seconds of training wall time so far (resumed runs continue the clock).</param>
/// <param name="Values">Metric name (algorithm.md §5, e.g. <c>eval/episode_success</c>) → value.</param>
/// <param name="Trajectories">This epoch's evaluation drawn over the maze (maze tasks only).</param>
public sealed record MetricReport(int Epoch, long EnvSteps, long Updates, double WallTimeSeconds, IReadOnlyDictionary<string, double> Values,
    EvalTrajectories? Trajectories = null);

/// <summary>A checkpoint the trainer has written.</summary>
public sealed record CheckpointWritten(int Epoch, long EnvSteps, string Directory, bool Kept);

/// <summary>Where a run's progress goes (the job server persists it; the CLI prints and writes CSV).</summary>
public interface ITrainingObserver
{
    void OnMetrics(MetricReport report);

    void OnCheckpoint(CheckpointWritten checkpoint) { }

    /// <summary>After every training step (collect + updates): cheap, for progress bars and heartbeats.</summary>
    void OnTrainingStep(TrainingCounters counters, int epochIndex, long stepInEpoch) { }
}

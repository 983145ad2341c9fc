using Crl.Core.Training;

namespace Crl.Tests.Core.Training;

/// <summary>Keeps every report and checkpoint a run announces.</summary>
public sealed class RecordingObserver : ITrainingObserver
{
    public List<MetricReport> Reports { get; } = [];
    public List<CheckpointWritten> Checkpoints { get; } = [];

    public void OnMetrics(MetricReport report) => Reports.Add(report);

    public void OnCheckpoint(CheckpointWritten checkpoint) => Checkpoints.Add(checkpoint);
}

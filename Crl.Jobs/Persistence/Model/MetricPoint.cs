namespace Crl.Jobs.Persistence.Model;

/// <summary>One logged value of one metric of a run, tagged with the step and the wall time it was logged at.</summary>
public sealed class MetricPoint
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public required string Name { get; set; }
    public long Step { get; set; }

    /// <summary>Seconds since the run started.</summary>
    public double WallTime { get; set; }

    public double Value { get; set; }
}

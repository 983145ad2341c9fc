namespace Crl.Jobs.Persistence.Model;

/// <summary>
/// One training run. This row, not the job queue, is the truth about whether work happens: a job that finds
/// its run already started or finished does nothing.
/// </summary>
public sealed class Run
{
    public long Id { get; set; }
    public long? SweepId { get; set; }
    public Sweep? Sweep { get; set; }

    /// <summary>What the run trains: <see cref="RunKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>The full trainer configuration, as JSON.</summary>
    public required string ConfigJson { get; set; }

    public RunState State { get; set; } = RunState.Queued;

    /// <summary>Fraction of the run's budget done, 0 to 1.</summary>
    public double Progress { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>Changes with every write to the row, so watchers can ask "what changed since".</summary>
    public DateTime UpdatedAt { get; set; }

    public string? WorkerName { get; set; }
    public string? Error { get; set; }
    public string? JobId { get; set; }

    public List<MetricPoint> Metrics { get; set; } = [];
}

public static class RunKinds
{
    /// <summary>A residual network fitting a regression target: exercises the job path end to end.</summary>
    public const string RegressionWarmup = "regression-warmup";
}

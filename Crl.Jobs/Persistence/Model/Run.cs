namespace Crl.Jobs.Persistence.Model;

/// <summary>
/// One training run. This row, not the job queue, is the truth about whether work happens: a worker must hold the
/// run's lease (<see cref="LeaseOwner"/> with a fresh <see cref="HeartbeatAt"/>) to train it, so a second start of a
/// live run does nothing and a run whose worker died is picked up once its heartbeat goes stale.
/// </summary>
public sealed class Run
{
    public long Id { get; set; }
    public long? SweepId { get; set; }
    public Sweep? Sweep { get; set; }

    /// <summary>The full trainer configuration (<c>CrlConfig</c>) as JSON; the columns below copy the grid axes for queries.</summary>
    public required string ConfigJson { get; set; }

    public required string Env { get; set; }
    public int ActorDepth { get; set; }
    public int CriticDepth { get; set; }
    public int ActorWidth { get; set; }
    public int CriticWidth { get; set; }
    public int BatchSize { get; set; }
    public long Seed { get; set; }
    public long TotalEnvSteps { get; set; }

    /// <summary>Parameter counts of the actor, φ(s,a), ψ(g) and all three.</summary>
    public long ActorParameters { get; set; }
    public long SaEncoderParameters { get; set; }
    public long GEncoderParameters { get; set; }
    public long TotalParameters { get; set; }

    public RunState State { get; set; } = RunState.Queued;

    /// <summary>Fraction of the run's epochs done, 0 to 1.</summary>
    public double Progress { get; set; }
    public int EpochsDone { get; set; }
    public long EnvStepsDone { get; set; }

    /// <summary><c>eval/episode_success</c> (time at goal, of the episode length) at the latest evaluation.</summary>
    public double? LatestTimeAtGoal { get; set; }

    /// <summary><c>eval/episode_success_any</c> (success rate) at the latest evaluation.</summary>
    public double? LatestSuccessRate { get; set; }

    /// <summary>Mean time at goal over the last five evaluations: the paper's single-number result (algorithm.md §4).</summary>
    public double? FinalTimeAtGoal { get; set; }

    /// <summary>Mean success rate over the last five evaluations.</summary>
    public double? FinalSuccessRate { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>Changes with every write to the row, so watchers can ask "what changed since".</summary>
    public DateTime UpdatedAt { get; set; }

    /// <summary>The worker holding the run's lease while it trains; it keeps the name after the run ends.</summary>
    public string? LeaseOwner { get; set; }
    public DateTime? HeartbeatAt { get; set; }

    /// <summary>How many times a worker started (or resumed) the run.</summary>
    public int Attempts { get; set; }

    /// <summary>Set by a user; the worker holding the lease stops the trainer and marks the run Cancelled.</summary>
    public bool CancelRequested { get; set; }

    public string? Error { get; set; }
    public string? JobId { get; set; }

    /// <summary>The build that created the run (assembly informational version).</summary>
    public string? CodeVersion { get; set; }

    public List<MetricPoint> Metrics { get; set; } = [];
    public List<Checkpoint> Checkpoints { get; set; } = [];
}

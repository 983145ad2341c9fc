using Crl.Core.Environments;
using Crl.Core.Networks;

namespace Crl.Core.Training;

/// <summary>
/// Every knob of a scaled-CRL run, with scaling-crl's defaults (spec §3.1 table; losses §2). Property names are the
/// spec's knobs in PascalCase; the command line spells them kebab-case (<c>BatchSize</c> ↔ <c>--batch-size</c>).
/// </summary>
public sealed record CrlConfig
{
    /// <summary>Training task id (see <see cref="EnvRegistry"/>). point_big_maze mirrors job.slurm's ant_big_maze.</summary>
    public string Env { get; init; } = "point_big_maze";

    /// <summary>Task evaluated after each epoch; null means <see cref="Env"/>. job.slurm evaluates on the <c>_eval</c> goal set.</summary>
    public string? EvalEnv { get; init; }

    /// <summary>Dense layers inside the actor's residual blocks (a multiple of 4; spec §1.2).</summary>
    public int ActorDepth { get; init; } = 4;

    /// <summary>Dense layers inside each critic encoder's residual blocks.</summary>
    public int CriticDepth { get; init; } = 4;

    /// <summary>Actor hidden width (<c>actor_network_width</c>).</summary>
    public int ActorWidth { get; init; } = 256;

    /// <summary>Critic encoders' hidden width (<c>critic_network_width</c>).</summary>
    public int CriticWidth { get; init; } = 256;

    /// <summary>Minibatch size; also the number of in-batch negatives + 1. Code default 256, paper 512.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Parallel training environments.</summary>
    public int NumEnvs { get; init; } = 512;

    /// <summary>Env steps per env per training step.</summary>
    public int UnrollLength { get; init; } = 62;

    /// <summary>Episode limit, also the relabelling window length.</summary>
    public int EpisodeLength { get; init; } = 1000;

    /// <summary>Replay capacity in time steps per env (10k × 512 envs = 5.12M transitions).</summary>
    public int MaxReplaySize { get; init; } = 10_000;

    /// <summary>Prefill in time steps per env before training (rounded up to whole unrolls: 17 × 62).</summary>
    public int MinReplaySize { get; init; } = 1_000;

    /// <summary>Discount of the hindsight-goal distribution (truncated geometric, mean offset ≈ 100).</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>SGD updates per training step (800 per 31,744 env steps ⇒ the paper's UTD 1:40).</summary>
    public int NumSgdBatchesPerTrainingStep { get; init; } = 800;

    /// <summary>Environment steps budget, prefill included.</summary>
    public long TotalEnvSteps { get; init; } = 100_000_000;

    /// <summary>Epochs; an evaluation, a metrics report and a checkpoint follow each.</summary>
    public int NumEpochs { get; init; } = 100;

    /// <summary>Evaluation episodes per epoch (one per eval env).</summary>
    public int NumEvalEnvs { get; init; } = 128;

    /// <summary>Seeds torch, the environments and the replay sampler.</summary>
    public long Seed { get; init; } = 1000;

    /// <summary>Actor Adam learning rate.</summary>
    public double ActorLr { get; init; } = 3e-4;

    /// <summary>Critic (φ and ψ) Adam learning rate.</summary>
    public double CriticLr { get; init; } = 3e-4;

    /// <summary>Entropy temperature Adam learning rate.</summary>
    public double AlphaLr { get; init; } = 3e-4;

    /// <summary>Weight of mean(logsumexp²) in the critic loss.</summary>
    public double LogsumexpPenaltyCoeff { get; init; } = 0.1;

    /// <summary>Target entropy = −EntropyParam × action_dim.</summary>
    public double EntropyParam { get; init; } = 0.5;

    /// <summary>auto, cpu or cuda.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Intra-op threads for libtorch on CPU; 0 keeps libtorch's default (one per core).</summary>
    public int TorchThreads { get; init; }

    /// <summary>Training slots restore their first state on auto-reset, as Brax does (environments.md §4.1).</summary>
    public AutoResetMode ResetMode { get; init; } = AutoResetMode.FirstState;

    /// <summary>Also evaluate the untrained policy before the first epoch (Brax trainers do), reported as epoch 0.</summary>
    public bool EvalBeforeTraining { get; init; } = true;

    /// <summary>Actor steps of the prefill: ⌈min_replay_size / unroll_length⌉.</summary>
    public int PrefillUnrolls => (MinReplaySize + UnrollLength - 1) / UnrollLength;

    /// <summary>Env steps one training step collects: num_envs × unroll_length.</summary>
    public long EnvStepsPerTrainingStep => (long)NumEnvs * UnrollLength;

    /// <summary>(total − min_replay·num_envs) // (epochs · num_envs · unroll) — 31 for the defaults (spec §3.2 step 7).</summary>
    public long TrainingStepsPerEpoch => (TotalEnvSteps - (long)MinReplaySize * NumEnvs) / (NumEpochs * EnvStepsPerTrainingStep);

    /// <summary>Every problem with this config, each naming the field, its flag and the allowed range.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Range(string field, double value, double min, double max)
        {
            if (!(value >= min && value <= max))
                errors.Add($"{field} ({Flag(field)}) must be in [{min}, {max}]; got {value}");
        }
        void Depth(string field, int value)
        {
            if (value < ResidualTrunk.MinDepth || value > ResidualTrunk.MaxDepth || value % ResidualBlock.LayersPerBlock != 0)
                errors.Add($"{field} ({Flag(field)}) must be a multiple of {ResidualBlock.LayersPerBlock} in [{ResidualTrunk.MinDepth}, {ResidualTrunk.MaxDepth}]; got {value}");
        }
        if (!EnvRegistry.TryGet(Env, out _)) errors.Add($"Env (--env) must be one of {string.Join(", ", EnvRegistry.Ids)}; got '{Env}'");
        if (EvalEnv is not null && !EnvRegistry.TryGet(EvalEnv, out _)) errors.Add($"EvalEnv (--eval-env) must be one of {string.Join(", ", EnvRegistry.Ids)}; got '{EvalEnv}'");
        if (EnvRegistry.TryGet(Env, out var train) && EvalEnv is not null && EnvRegistry.TryGet(EvalEnv, out var eval)
            && (train.Spec.StateDim, train.Spec.GoalDim, train.Spec.ActionDim) != (eval.Spec.StateDim, eval.Spec.GoalDim, eval.Spec.ActionDim))
            errors.Add($"EvalEnv (--eval-env) '{EvalEnv}' must have the same state, goal and action dims as Env '{Env}'");
        Depth(nameof(ActorDepth), ActorDepth);
        Depth(nameof(CriticDepth), CriticDepth);
        Range(nameof(ActorWidth), ActorWidth, 1, 65_536);
        Range(nameof(CriticWidth), CriticWidth, 1, 65_536);
        Range(nameof(BatchSize), BatchSize, 2, 65_536);
        Range(nameof(NumEnvs), NumEnvs, 1, 65_536);
        Range(nameof(UnrollLength), UnrollLength, 1, 100_000);
        Range(nameof(EpisodeLength), EpisodeLength, 2, 100_000);
        Range(nameof(MaxReplaySize), MaxReplaySize, EpisodeLength, 1_000_000);
        Range(nameof(MinReplaySize), MinReplaySize, EpisodeLength, MaxReplaySize);
        Range(nameof(Gamma), Gamma, 1e-9, 1 - 1e-9);
        Range(nameof(NumSgdBatchesPerTrainingStep), NumSgdBatchesPerTrainingStep, 1, 1_000_000);
        Range(nameof(NumEpochs), NumEpochs, 1, 1_000_000);
        Range(nameof(NumEvalEnvs), NumEvalEnvs, 1, 65_536);
        Range(nameof(ActorLr), ActorLr, 1e-12, 1);
        Range(nameof(CriticLr), CriticLr, 1e-12, 1);
        Range(nameof(AlphaLr), AlphaLr, 1e-12, 1);
        Range(nameof(LogsumexpPenaltyCoeff), LogsumexpPenaltyCoeff, 0, 1_000);
        Range(nameof(EntropyParam), EntropyParam, 0, 100);
        Range(nameof(TorchThreads), TorchThreads, 0, 1_024);
        if (!Torch.TorchDevice.IsValidName(Device)) errors.Add($"Device (--device) must be one of {string.Join(", ", Torch.TorchDevice.Names)}; got '{Device}'");
        // The replay buffer is one managed array per field; .NET arrays hold at most Array.MaxLength elements.
        if (EnvRegistry.TryGet(Env, out var task) && MaxReplaySize >= 1 && NumEnvs >= 1
            && (long)MaxReplaySize * NumEnvs * task.Spec.StateDim > Array.MaxLength)
            errors.Add($"MaxReplaySize × NumEnvs (--max-replay-size × --num-envs) must be at most {Array.MaxLength / task.Spec.StateDim:N0} transitions for {Env}; got {(long)MaxReplaySize * NumEnvs:N0}");
        if (errors.Count == 0 && TrainingStepsPerEpoch < 1)
        {
            var minimum = (long)MinReplaySize * NumEnvs + NumEpochs * EnvStepsPerTrainingStep;
            errors.Add($"TotalEnvSteps (--total-env-steps) must be at least {minimum:N0} (min_replay_size·num_envs + num_epochs·num_envs·unroll_length) so every epoch has a training step; got {TotalEnvSteps:N0}");
        }
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public CrlConfig Validated()
    {
        var errors = Validate();
        return errors.Count == 0 ? this : throw new ArgumentException("invalid CRL config: " + string.Join("; ", errors));
    }

    /// <summary>The kebab-case flag of a config property.</summary>
    public static string Flag(string property) =>
        "--" + string.Concat(property.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}

using Crl.Core.Algorithms;
using Crl.Core.Environments;
using Crl.Core.Networks;

namespace Crl.Core.Training;

/// <summary>
/// Every knob of a scaled-CRL run, with scaling-crl's defaults (algorithm.md §3.1 table; losses §2). Each knob is declared
/// once, here: its name and default by the property, its description, allowed values and unit by its
/// <see cref="KnobAttribute"/>. <see cref="CrlKnobs"/> reads them for the validator, the command line, the API, the
/// launch form and README's table.
/// </summary>
public sealed record CrlConfig
{
    // point_big_maze mirrors job.slurm's ant_big_maze.
    [Knob("Training task", Choices = KnobChoices.Envs)]
    public string Env { get; init; } = "point_big_maze";

    // job.slurm evaluates on the _eval goal set.
    [Knob("Task evaluated after each epoch; none = the training task", Choices = KnobChoices.Envs)]
    public string? EvalEnv { get; init; }

    // Depth counts Dense layers inside residual blocks (algorithm.md §1.2), so it comes in whole blocks.
    [Knob("Dense layers inside the actor's residual blocks", Min = ResidualTrunk.MinDepth, Max = ResidualTrunk.MaxDepth, MultipleOf = ResidualBlock.LayersPerBlock, Unit = "layers")]
    public int ActorDepth { get; init; } = 4;

    [Knob("Dense layers inside each critic encoder's residual blocks", Min = ResidualTrunk.MinDepth, Max = ResidualTrunk.MaxDepth, MultipleOf = ResidualBlock.LayersPerBlock, Unit = "layers")]
    public int CriticDepth { get; init; } = 4;

    // The paper ran widths up to 4096; below 16 a LayerNorm over the hidden units has too little to normalise.
    [Knob("Actor hidden width (actor_network_width)", Min = 16, Max = 8192, Unit = "units")]
    public int ActorWidth { get; init; } = 256;

    [Knob("Critic encoders' hidden width (critic_network_width)", Min = 16, Max = 8192, Unit = "units")]
    public int CriticWidth { get; init; } = 256;

    // scaling-crl hard-codes 64; the paper does not vary it.
    [Knob("Dimension of the critic's representations φ(s,a) and ψ(g)", Min = 1, Max = 4_096, Unit = "dims", Ablation = true)]
    public int RepresentationDim { get; init; } = 64;

    [Knob("Activation of every trunk layer: Swish as in the paper, or Relu (scaling-crl's use_relu)", Ablation = true)]
    public Activation Activation { get; init; } = Activation.Swish;

    // The paper's residual ablation keeps the layers and drops only the skips, so parameter counts do not change.
    [Knob("Skip connection around every 4 trunk layers; false = the same layers stacked without skips", Ablation = true)]
    public bool Residual { get; init; } = true;

    // Code default 256, paper 512; the paper ran batches up to 2048.
    [Knob("Minibatch size; also the in-batch negatives + 1", Min = 16, Max = 65_536, Unit = "transitions")]
    public int BatchSize { get; init; } = 256;

    [Knob("Parallel training environments", Label = "Parallel environments", Min = 1, Max = 65_536, Unit = "envs")]
    public int NumEnvs { get; init; } = 512;

    [Knob("Env steps per env per training step", Label = "Unroll length", Min = 1, Max = 100_000, Unit = "steps")]
    public int UnrollLength { get; init; } = 62;

    [Knob("Episode limit, also the relabelling window length", Label = "Episode length", Min = 2, Max = 100_000, Unit = "steps")]
    public int EpisodeLength { get; init; } = 1000;

    // 10k × 512 envs = 5.12M transitions.
    [Knob("Replay capacity per env; at least episodeLength", Min = 2, Max = 1_000_000, Unit = "steps per env")]
    public int MaxReplaySize { get; init; } = 10_000;

    // Rounded up to whole unrolls: 17 × 62.
    [Knob("Prefill per env before training; from episodeLength to maxReplaySize", Min = 2, Max = 1_000_000, Unit = "steps per env")]
    public int MinReplaySize { get; init; } = 1_000;

    // Truncated geometric; the default's mean offset is ≈ 100 steps.
    [Knob("Discount of the hindsight-goal distribution", Min = 0, Max = 1, MinExclusive = true, MaxExclusive = true)]
    public double Gamma { get; init; } = 0.99;

    // 800 per 31,744 env steps is the paper's UTD 1:40.
    [Knob("SGD updates per training step", Min = 1, Max = 1_000_000, Unit = "updates")]
    public int NumSgdBatchesPerTrainingStep { get; init; } = 800;

    // scaling-crl's use_all_batches: 1,998 updates per training step at the defaults instead of 800.
    [Knob("Train on every full minibatch of the sampled windows, numEnvs·(episodeLength−1)/batchSize per training step, instead of numSgdBatchesPerTrainingStep", Ablation = true)]
    public bool UseAllBatches { get; init; }

    [Knob("Environment step budget, prefill included", Label = "Total env steps per run", Min = 1, Unit = "env steps")]
    public long TotalEnvSteps { get; init; } = 100_000_000;

    [Knob("Epochs; an evaluation, a metrics report and a checkpoint follow each", Label = "Epochs", Min = 1, Max = 1_000_000, Unit = "epochs")]
    public int NumEpochs { get; init; } = 100;

    [Knob("Evaluation episodes per epoch, one per eval env", Label = "Evaluation episodes", Min = 1, Max = 65_536, Unit = "episodes")]
    public int NumEvalEnvs { get; init; } = 128;

    [Knob("How evaluation acts: policy = the deterministic tanh(μ); argmax-q:K = the best of K policy samples under the critic (scaling-crl's eval_actor)", Choices = KnobChoices.ActionSelections, Ablation = true)]
    public string EvalActionSelection { get; init; } = "policy";

    [Knob("How training envs act: policy = a policy sample; argmax-q:K = the best of K policy samples under the critic (scaling-crl's expl_actor)", Choices = KnobChoices.ActionSelections, Ablation = true)]
    public string CollectActionSelection { get; init; } = "policy";

    [Knob("Seeds torch, the environments and the replay sampler", Min = 0)]
    public long Seed { get; init; } = 1000;

    [Knob("Actor Adam learning rate", Min = 0, Max = 1, MinExclusive = true)]
    public double ActorLr { get; init; } = 3e-4;

    [Knob("Critic (φ and ψ) Adam learning rate", Min = 0, Max = 1, MinExclusive = true)]
    public double CriticLr { get; init; } = 3e-4;

    [Knob("Entropy temperature Adam learning rate", Min = 0, Max = 1, MinExclusive = true)]
    public double AlphaLr { get; init; } = 3e-4;

    [Knob("Weight of mean(logsumexp²) in the critic loss", Min = 0, Max = 1_000)]
    public double LogsumexpPenaltyCoeff { get; init; } = 0.1;

    [Knob("Target entropy = −entropyParam × action_dim", Min = 0, Max = 100)]
    public double EntropyParam { get; init; } = 0.5;

    [Knob("Entropy term α·log π in the actor loss with α learned; false = actor loss −Q alone and α stays 1 (scaling-crl's disable_entropy)", Ablation = true)]
    public bool Entropy { get; init; } = true;

    // Not an ablation: it changes memory and time per update, never what an update computes.
    [Knob("Keep only each residual block's input in the forward pass and recompute the block in backward: activation memory grows with blocks, not layers, for about one more forward pass per update", ComputeOnly = true)]
    public bool ActivationCheckpointing { get; init; }

    [Knob("Compute device; auto picks CUDA when this build and machine have it", Choices = KnobChoices.Devices)]
    public string Device { get; init; } = "auto";

    [Knob("libtorch intra-op threads on the CPU; 0 = one per core", Min = 0, Max = 1_024, Unit = "threads")]
    public int TorchThreads { get; init; }

    // Brax's behaviour, environments.md §4.1.
    [Knob("Auto-reset of training envs: FirstState restores the slot's first start, Resample draws a new one")]
    public AutoResetMode ResetMode { get; init; } = AutoResetMode.FirstState;

    // Brax trainers do this.
    [Knob("Also evaluate the untrained policy first, reported as epoch 0")]
    public bool EvalBeforeTraining { get; init; } = true;

    /// <summary>Actor steps of the prefill: ⌈min_replay_size / unroll_length⌉.</summary>
    public int PrefillUnrolls => (MinReplaySize + UnrollLength - 1) / UnrollLength;

    /// <summary>Env steps one training step collects: num_envs × unroll_length.</summary>
    public long EnvStepsPerTrainingStep => (long)NumEnvs * UnrollLength;

    /// <summary>SGD updates of one training step: every full minibatch of one window per env with <see cref="UseAllBatches"/>.</summary>
    public int UpdatesPerTrainingStep => UseAllBatches
        ? (int)Math.Min(int.MaxValue, (long)NumEnvs * (EpisodeLength - 1) / BatchSize)
        : NumSgdBatchesPerTrainingStep;

    /// <summary>(total − min_replay·num_envs) // (epochs · num_envs · unroll) — 31 for the defaults (algorithm.md §3.2 step 7).</summary>
    public long TrainingStepsPerEpoch => (TotalEnvSteps - (long)MinReplaySize * NumEnvs) / (NumEpochs * EnvStepsPerTrainingStep);

    /// <summary>Every problem with this config, each naming the field, its flag and the allowed range.</summary>
    public IReadOnlyList<string> Validate() => Problems().Select(p => p.Message).ToList();

    /// <summary>Every problem with this config, with the knob it concerns (its property name).</summary>
    public IReadOnlyList<ConfigProblem> Problems()
    {
        var problems = new List<ConfigProblem>();
        foreach (var knob in CrlKnobs.All)
            if (knob.Problem(this) is { } message) problems.Add(new(knob.Name, message));
        void Add(string knob, string mustBe) => problems.Add(new(knob, $"{knob} ({CrlKnobs.Get(knob).Flag}) must be {mustBe}"));
        bool Fine(string knob) => problems.All(p => p.Knob != knob);

        // Rules between knobs: the declarations hold each knob's own range.
        if (Fine(nameof(Env)) && EvalEnv is not null && Fine(nameof(EvalEnv)))
        {
            var (train, eval) = (EnvRegistry.Get(Env).Spec, EnvRegistry.Get(EvalEnv).Spec);
            if ((train.StateDim, train.GoalDim, train.ActionDim) != (eval.StateDim, eval.GoalDim, eval.ActionDim))
                Add(nameof(EvalEnv), $"a task with the same state, goal and action dims as Env '{Env}'; got '{EvalEnv}'");
        }
        if (Fine(nameof(EpisodeLength)) && Fine(nameof(MaxReplaySize)) && MaxReplaySize < EpisodeLength)
            Add(nameof(MaxReplaySize), $"at least EpisodeLength ({EpisodeLength}); got {MaxReplaySize}");
        if (Fine(nameof(EpisodeLength)) && Fine(nameof(MaxReplaySize)) && Fine(nameof(MinReplaySize)) && (MinReplaySize < EpisodeLength || MinReplaySize > MaxReplaySize))
            Add(nameof(MinReplaySize), $"in [EpisodeLength, MaxReplaySize] = [{EpisodeLength}, {MaxReplaySize}]; got {MinReplaySize}");
        // The replay buffer is one managed array per field; .NET arrays hold at most Array.MaxLength elements.
        if (Fine(nameof(Env)) && Fine(nameof(MaxReplaySize)) && Fine(nameof(NumEnvs))
            && EnvRegistry.Get(Env).Spec.StateDim is var stateDim && (long)MaxReplaySize * NumEnvs * stateDim > Array.MaxLength)
            problems.Add(new(nameof(MaxReplaySize), $"MaxReplaySize × NumEnvs (--max-replay-size × --num-envs) must be at most {Array.MaxLength / stateDim:N0} transitions for {Env}; got {(long)MaxReplaySize * NumEnvs:N0}"));
        if (UseAllBatches && Fine(nameof(NumEnvs)) && Fine(nameof(EpisodeLength)) && Fine(nameof(BatchSize)) && UpdatesPerTrainingStep < 1)
            Add(nameof(UseAllBatches), $"false while NumEnvs × (EpisodeLength − 1) = {(long)NumEnvs * (EpisodeLength - 1):N0} tuples are fewer than one batch of {BatchSize}");
        if (problems.Count == 0 && TrainingStepsPerEpoch < 1)
        {
            var minimum = (long)MinReplaySize * NumEnvs + NumEpochs * EnvStepsPerTrainingStep;
            Add(nameof(TotalEnvSteps), $"at least {minimum:N0} (min_replay_size·num_envs + num_epochs·num_envs·unroll_length) so every epoch has a training step; got {TotalEnvSteps:N0}");
        }
        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public CrlConfig Validated()
    {
        var errors = Validate();
        return errors.Count == 0 ? this : throw new ArgumentException("invalid CRL config: " + string.Join("; ", errors));
    }
}

/// <summary>One problem with a config: the knob it concerns (a <see cref="CrlConfig"/> property name) and the message.</summary>
public sealed record ConfigProblem(string Knob, string Message);

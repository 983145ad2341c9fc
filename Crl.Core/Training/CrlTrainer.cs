using System.Diagnostics;
using Crl.Core.Algorithms;
using Crl.Core.Environments;
using Crl.Core.Replay;
using Crl.Core.Sampling;
using Crl.Core.Torch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Training;

/// <summary>
/// The training loop of algorithm.md §3.2: prefill, then epochs of training steps (collect num_envs × unroll_length steps with
/// the stochastic actor, relabel, run num_sgd_batches_per_training_step updates), each epoch followed by an
/// evaluation, a metrics report and a checkpoint.
/// </summary>
public sealed class CrlTrainer : IDisposable
{
    private readonly ILogger logger;
    private readonly IVectorEnv env;
    private readonly Evaluator evaluator;
    private readonly ReplayBuffer buffer;
    private readonly GoalRelabeler relabeler;
    private readonly Device device;
    private readonly float[] observationCopy, actions, sampledObservations, sampledActions;
    private readonly ActionSelection collectSelection, evalSelection;
    private Xoshiro256 sampler;

    public CrlTrainer(CrlConfig config, ILogger? logger = null)
    {
        Config = config.Validated();
        this.logger = logger ?? NullLogger.Instance;
        if (config.TorchThreads > 0) set_num_threads(config.TorchThreads);
        device = Torch.TorchDevice.Resolve(config.Device);
        random.manual_seed(config.Seed);

        var entry = EnvRegistry.Get(config.Env);
        Spec = entry.Spec;
        env = entry.Create(config.NumEnvs, config.EpisodeLength, config.ResetMode);
        // Eval envs are freshly reset before every evaluation and run exactly one episode, so their reset mode is moot.
        evaluator = new Evaluator(EnvRegistry.Create(config.EvalEnv ?? config.Env, config.NumEvalEnvs, config.EpisodeLength));
        Agent = new CrlAgent(AgentSpec(config, Spec), device);
        buffer = new ReplayBuffer(config.NumEnvs, config.MaxReplaySize, Spec.StateDim, Spec.ActionDim);
        relabeler = new GoalRelabeler(Spec.GoalStart, Spec.GoalDim, config.Gamma, config.EpisodeLength, config.BatchSize, config.UpdatesPerTrainingStep);
        collectSelection = ActionSelection.Parse(config.CollectActionSelection);
        evalSelection = ActionSelection.Parse(config.EvalActionSelection);
        sampler = new Xoshiro256((ulong)config.Seed);

        observationCopy = new float[config.NumEnvs * Spec.ObservationDim];
        actions = new float[config.NumEnvs * Spec.ActionDim];
        sampledObservations = new float[relabeler.SampleCount * Spec.ObservationDim];
        sampledActions = new float[relabeler.SampleCount * Spec.ActionDim];
    }

    /// <summary>The agent a run's config asks for on an environment with this layout.</summary>
    public static CrlAgentSpec AgentSpec(CrlConfig config, EnvSpec env) => new(
        env.StateDim, env.GoalDim, env.ActionDim,
        config.ActorWidth, config.ActorDepth, config.CriticWidth, config.CriticDepth,
        config.ActorLr, config.CriticLr, config.AlphaLr, config.EntropyParam, config.LogsumexpPenaltyCoeff,
        config.RepresentationDim, config.Activation, config.Residual, config.Entropy)
    {
        ActivationCheckpointing = config.ActivationCheckpointing,
    };

    public CrlConfig Config { get; }
    public EnvSpec Spec { get; }

    /// <summary>Where the networks train, as <see cref="CrlConfig.Device"/> resolved on this machine.</summary>
    public Device Device => device;
    public CrlAgent Agent { get; }
    public TrainingCounters Counters { get; private set; } = TrainingCounters.Start;

    /// <summary>
    /// Rebuilds a trainer from a checkpoint directory: config, weights, α, optimiser states, counters and generator
    /// states. <paramref name="device"/> and <paramref name="torchThreads"/> may move the run to other hardware; they
    /// change where it trains, not what it learns.
    /// </summary>
    public static CrlTrainer Resume(string checkpointDirectory, string? device = null, int? torchThreads = null, ILogger? logger = null)
    {
        var state = CrlCheckpoint.ReadState(checkpointDirectory);
        var config = state.Config with
        {
            Device = device ?? state.Config.Device,
            TorchThreads = torchThreads ?? state.Config.TorchThreads,
        };
        var trainer = new CrlTrainer(config, logger);
        try
        {
            CrlCheckpoint.LoadInto(checkpointDirectory, trainer.Agent);
            trainer.Counters = state.Counters;
            trainer.sampler = Xoshiro256.FromState(state.SamplerRandomState);
            return trainer;
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Trains until <see cref="CrlConfig.NumEpochs"/> epochs are complete (continuing from <see cref="Counters"/>).
    /// A resumed run refills the replay buffer with a fresh prefill; those env steps are not added to the counter,
    /// so its x-axis lines up with an uninterrupted run.
    /// </summary>
    public TrainingCounters Run(ITrainingObserver observer, CancellationToken cancellation = default, string? checkpointDirectory = null)
    {
        var clock = Stopwatch.StartNew();
        var wallOffset = Counters.WallTimeSeconds;
        double Wall() => wallOffset + clock.Elapsed.TotalSeconds;
        var fresh = Counters == TrainingCounters.Start;

        var stepsBeforePrefill = Counters.EnvSteps;
        env.Reset(sampler.NextULong());
        buffer.Clear();
        for (int u = 0; u < Config.PrefillUnrolls; u++)
        {
            cancellation.ThrowIfCancellationRequested();
            Collect(Config.UnrollLength);
        }
        var prefillSteps = (long)Config.PrefillUnrolls * Config.EnvStepsPerTrainingStep;
        if (!fresh) Counters = Counters with { EnvSteps = stepsBeforePrefill };
        logger.LogInformation("Prefilled {Steps} env steps ({Unrolls} unrolls){Note}", prefillSteps, Config.PrefillUnrolls, fresh ? "" : " to refill the replay buffer after resume (not counted)");

        if (fresh && Config.EvalBeforeTraining)
        {
            var initial = Evaluate();
            observer.OnMetrics(new MetricReport(0, Counters.EnvSteps, 0, Wall(), EvalValues(initial), initial.Trajectories));
        }

        long[] observationShape = [relabeler.SampleCount, Spec.ObservationDim], actionShape = [relabeler.SampleCount, Spec.ActionDim];
        for (int epoch = Counters.Epoch; epoch < Config.NumEpochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            var stepsBefore = Counters.EnvSteps;
            long updates = 0;
            using var metricSum = zeros(MetricNames.Update.Count, device: device);
            for (long step = 0; step < Config.TrainingStepsPerEpoch; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                Collect(Config.UnrollLength);
                relabeler.Sample(buffer, ref sampler, sampledObservations, sampledActions);
                using var scope = NewDisposeScope();
                // One host→device copy per training step; minibatches are contiguous slices of the shuffled sample.
                var observations = tensor(sampledObservations, observationShape).to(device);
                var actionsTaken = tensor(sampledActions, actionShape).to(device);
                for (int m = 0; m < Config.UpdatesPerTrainingStep; m++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    using var updateScope = NewDisposeScope();
                    var metrics = Agent.Update(
                        observations.narrow(0, (long)m * Config.BatchSize, Config.BatchSize),
                        actionsTaken.narrow(0, (long)m * Config.BatchSize, Config.BatchSize));
                    metricSum.PlusInPlace(MetricNames.Vector(metrics));
                    updates++;
                }
                Counters = Counters with
                {
                    TrainingSteps = Counters.TrainingSteps + 1,
                    Updates = Counters.Updates + Config.UpdatesPerTrainingStep,
                    WallTimeSeconds = Wall(),
                };
                observer.OnTrainingStep(Counters, epoch, step + 1);
            }
            var trainSeconds = epochClock.Elapsed.TotalSeconds;
            var sums = metricSum.cpu().data<float>().ToArray();

            var evaluation = Evaluate();
            Counters = Counters with { Epoch = epoch + 1, WallTimeSeconds = Wall() };
            var values = EvalValues(evaluation);
            for (int k = 0; k < sums.Length; k++) values[MetricNames.Update[k].Name] = sums[k] / Math.Max(1, updates);
            values[MetricNames.Sps] = (Counters.EnvSteps - stepsBefore) / Math.Max(1e-9, trainSeconds);
            values[MetricNames.WallTime] = Counters.WallTimeSeconds;
            values[MetricNames.EnvSteps] = Counters.EnvSteps;
            values[MetricNames.Updates] = Counters.Updates;
            values[MetricNames.BufferSize] = buffer.Transitions;
            observer.OnMetrics(new MetricReport(Counters.Epoch, Counters.EnvSteps, Counters.Updates, Counters.WallTimeSeconds, values, evaluation.Trajectories));
            logger.LogInformation("epoch {Epoch}/{Epochs}: env steps {EnvSteps}, sps {Sps:F0}, time at goal {TimeAtGoal:F1}, critic loss {CriticLoss:F3}",
                Counters.Epoch, Config.NumEpochs, Counters.EnvSteps, values[MetricNames.Sps], evaluation.TimeAtGoal, values[MetricNames.CriticLoss]);

            if (checkpointDirectory is not null) SaveCheckpoints(checkpointDirectory, epoch, observer);
        }
        return Counters;
    }

    /// <summary>Writes a resumable checkpoint of the current state to <paramref name="directory"/>.</summary>
    public void SaveCheckpoint(string directory) =>
        CrlCheckpoint.Save(directory, Agent, new TrainerState(CrlCheckpoint.FormatVersion, Config, Counters, sampler.State));

    private void SaveCheckpoints(string root, int epochIndex, ITrainingObserver observer)
    {
        Directory.CreateDirectory(root);
        var latest = Path.Combine(root, CheckpointSchedule.Latest);
        SaveCheckpoint(latest);
        observer.OnCheckpoint(new CheckpointWritten(Counters.Epoch, Counters.EnvSteps, latest, Kept: false));
        if (!CheckpointSchedule.Keep(epochIndex, Config.NumEpochs)) return;
        var kept = Path.Combine(root, CheckpointSchedule.DirectoryName(Counters.Epoch));
        SaveCheckpoint(kept);
        observer.OnCheckpoint(new CheckpointWritten(Counters.Epoch, Counters.EnvSteps, kept, Kept: true));
    }

    private EvaluationResult Evaluate() =>
        evaluator.Run(observation => Agent.Act(observation, evalSelection, explore: false), device, sampler.NextULong());

    /// <summary>Roll every env <paramref name="steps"/> steps with the stochastic actor on its commanded goal, storing each step.</summary>
    private void Collect(int steps)
    {
        long[] shape = [Config.NumEnvs, Spec.ObservationDim];
        for (int t = 0; t < steps; t++)
        {
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                env.Observations.CopyTo(observationCopy);
                var observation = tensor(observationCopy, shape).to(device);
                var action = Agent.Act(observation, collectSelection, explore: true);
                action.cpu().data<float>().CopyTo(actions);
            }
            buffer.Insert(env.Observations, actions, env.EpisodeIds);
            env.Step(actions);
        }
        Counters = Counters with { EnvSteps = Counters.EnvSteps + (long)steps * Config.NumEnvs };
    }

    private static Dictionary<string, double> EvalValues(EvaluationResult evaluation) => new()
    {
        [MetricNames.EpisodeSuccess] = evaluation.TimeAtGoal,
        [MetricNames.EpisodeSuccessAny] = evaluation.SuccessAny,
        [MetricNames.EpisodeDist] = evaluation.EpisodeDist,
        [MetricNames.AvgEpisodeLength] = evaluation.AvgEpisodeLength,
        [MetricNames.EvalTime] = evaluation.Seconds,
        [MetricNames.EvalSps] = evaluation.EnvSteps / Math.Max(1e-9, evaluation.Seconds),
    };

    public void Dispose()
    {
        Agent.Dispose();
        evaluator.Dispose();
        // MuJoCo tasks hold worker threads and native memory; PointMaze and Reacher are plain arrays.
        (env as IDisposable)?.Dispose();
    }
}

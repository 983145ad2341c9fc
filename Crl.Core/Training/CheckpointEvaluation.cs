using Crl.Core.Algorithms;
using Crl.Core.Environments;
using static TorchSharp.torch;

namespace Crl.Core.Training;

/// <summary>What to evaluate a checkpoint on; null fields take the checkpoint's own settings.</summary>
/// <param name="Env">A task with the checkpoint's state, goal and action dims; null = <see cref="CheckpointEvaluation.DefaultEnv"/>.</param>
/// <param name="Episodes">Evaluation episodes, one per env; null = the run's numEvalEnvs.</param>
/// <param name="ActionSelection"><c>policy</c> or <c>argmax-q:K</c>; null = the run's evalActionSelection.</param>
/// <param name="Seed">Seeds the eval envs' starts and goals and argmax-q's samples: equal seeds give equal results.</param>
public sealed record CheckpointEvaluationSettings(string? Env = null, int? Episodes = null, string? ActionSelection = null, ulong Seed = 0, string Device = "cpu");

/// <summary>A checkpoint's evaluation: where and how it acted, and the evaluator's averages (time at goal in steps).</summary>
public sealed record CheckpointEvaluationResult(string Env, int Episodes, int EpisodeLength, string ActionSelection, long EnvSteps, EvaluationResult Result)
{
    /// <summary>Time at goal as a fraction of the episode, the scale the paper's plots use.</summary>
    public double TimeAtGoalFraction => Result.TimeAtGoal / EpisodeLength;
}

/// <summary>
/// Deterministic evaluation episodes of a stored checkpoint, outside training: the trainer's own evaluator on freshly
/// reset envs, with the checkpoint's weights (not its optimiser or generator state).
/// </summary>
public static class CheckpointEvaluation
{
    public const int MaxEpisodes = 65_536;

    /// <summary>The run's eval task; else its training task's <c>_eval</c> goal set where one exists (the paper evaluates on those); else the training task.</summary>
    public static string DefaultEnv(CrlConfig config) =>
        config.EvalEnv ?? (EnvRegistry.TryGet(config.Env + "_eval", out _) ? config.Env + "_eval" : config.Env);

    /// <summary>Every problem with the settings for this checkpoint's config, each naming the field and what it must be.</summary>
    public static IReadOnlyList<ConfigProblem> Problems(CrlConfig config, CheckpointEvaluationSettings settings)
    {
        var problems = new List<ConfigProblem>();
        if (settings.Env is { } id)
        {
            if (!EnvRegistry.TryGet(id, out var entry))
                problems.Add(new("env", $"env must be one of {string.Join(", ", EnvRegistry.Ids)}; got '{id}'"));
            else if (!entry.Available)
                problems.Add(new("env", $"env '{id}' is not available here: {entry.Reason}"));
            else
            {
                var (train, eval) = (EnvRegistry.Get(config.Env).Spec, entry.Spec);
                if ((train.StateDim, train.GoalDim, train.ActionDim) != (eval.StateDim, eval.GoalDim, eval.ActionDim))
                    problems.Add(new("env", $"env must have the checkpoint's state, goal and action dims ({config.Env}: {train.StateDim}, {train.GoalDim}, {train.ActionDim}); got '{id}'"));
            }
        }
        if (settings.Episodes is { } n and (< 1 or > MaxEpisodes))
            problems.Add(new("episodes", $"episodes must be in [1, {MaxEpisodes}]; got {n}"));
        if (settings.ActionSelection is { } text && !Algorithms.ActionSelection.TryParse(text, out _))
            problems.Add(new("actionSelection", $"actionSelection must be {Algorithms.ActionSelection.Allowed}; got '{text}'"));
        if (!Torch.TorchDevice.IsValidName(settings.Device))
            problems.Add(new("device", $"device must be one of {string.Join(", ", Torch.TorchDevice.Names)}; got '{settings.Device}'"));
        return problems;
    }

    /// <exception cref="ArgumentException">The settings do not suit the checkpoint (every problem listed).</exception>
    /// <exception cref="FileNotFoundException">The directory is not a checkpoint.</exception>
    public static CheckpointEvaluationResult Run(string checkpointDirectory, CheckpointEvaluationSettings settings)
    {
        var config = CrlCheckpoint.ReadState(checkpointDirectory).Config;
        var problems = Problems(config, settings);
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems.Select(p => p.Message)));

        var envId = settings.Env ?? DefaultEnv(config);
        var episodes = settings.Episodes ?? config.NumEvalEnvs;
        var selection = ActionSelection.Parse(settings.ActionSelection ?? config.EvalActionSelection);
        var device = Torch.TorchDevice.Resolve(settings.Device);

        using var agent = new CrlAgent(CrlTrainer.AgentSpec(config, EnvRegistry.Get(config.Env).Spec), device);
        CrlCheckpoint.LoadWeightsInto(checkpointDirectory, agent);
        using var evaluator = new Evaluator(EnvRegistry.Create(envId, episodes, config.EpisodeLength));
        using var generator = new Generator(settings.Seed, device);
        var result = evaluator.Run(observation => agent.Act(observation, selection, explore: false, generator), device, settings.Seed);
        return new CheckpointEvaluationResult(envId, episodes, config.EpisodeLength, selection.ToString(), result.EnvSteps, result);
    }
}

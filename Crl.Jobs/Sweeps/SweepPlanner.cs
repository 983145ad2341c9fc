using System.Text.Json;
using Crl.Core.Environments;
using Crl.Core.Networks;
using Crl.Core.Training;

namespace Crl.Jobs.Sweeps;

/// <summary>
/// Turns a <see cref="SweepRequest"/> into runs: checks the grid, applies the fixed settings to CrlConfig's defaults,
/// expands env × depth pairs × width × batch size × seed, and checks every run's full config. Any problem rejects
/// the whole sweep with every problem listed; nothing is stored or queued before this succeeds.
/// </summary>
public static class SweepPlanner
{
    // Grid axes have their own lists in the request; as fixed settings they would silently fight the grid.
    private static readonly HashSet<string> Axes =
        [nameof(CrlConfig.Env), nameof(CrlConfig.ActorDepth), nameof(CrlConfig.CriticDepth), nameof(CrlConfig.ActorWidth),
         nameof(CrlConfig.CriticWidth), nameof(CrlConfig.BatchSize), nameof(CrlConfig.Seed)];

    /// <summary>The knobs a sweep may fix for all its runs (every knob but the grid axes).</summary>
    public static IReadOnlyList<Knob> Settings { get; } = [.. CrlKnobs.All.Where(k => !Axes.Contains(k.Name))];

    /// <summary>Plans <paramref name="request"/> after resolving its preset; the plan carries the request it ran.</summary>
    public static SweepPlan Plan(SweepRequest request)
    {
        request = PaperPresets.Resolve(request);
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            if (!list.Contains(message)) list.Add(message);
        }

        foreach (var failure in new SweepRequestValidator().Validate(request).Errors)
            Add(CamelCase(failure.PropertyName), failure.ErrorMessage);

        var baseConfig = ApplySettings(new CrlConfig(), request.Settings, Add);
        var envConfigs = new Dictionary<string, CrlConfig>();
        foreach (var (env, settings) in request.PerEnv ?? [])
        {
            if (!EnvRegistry.TryGet(env, out _))
                Add($"perEnv.{env}", $"'{env}' is not an environment; known: {string.Join(", ", EnvRegistry.Ids)}");
            else
                envConfigs[env] = ApplySettings(baseConfig, settings, (field, message) => Add($"perEnv.{env}.{field}", message));
        }
        static bool Gives(Dictionary<string, JsonElement>? settings, string knob) =>
            settings?.Keys.Any(k => string.Equals(k, knob, StringComparison.OrdinalIgnoreCase)) == true;
        if (errors.Count > 0) throw Rejected(errors);

        var depthPairs = request.Depths is { Count: > 0 } depths
            ? depths.Select(d => (Actor: d, Critic: d)).ToList()
            : request.ActorDepths!.SelectMany(a => request.CriticDepths!.Select(c => (Actor: a, Critic: c))).ToList();
        var runs = new List<PlannedRun>();
        foreach (var env in request.Envs!)
        {
            var envConfig = envConfigs.GetValueOrDefault(env, baseConfig);
            var epochsGiven = Gives(request.Settings, nameof(CrlConfig.NumEpochs)) || Gives(request.PerEnv?.GetValueOrDefault(env), nameof(CrlConfig.NumEpochs));
            foreach (var (actorDepth, criticDepth) in depthPairs)
            foreach (var width in request.Widths!)
            foreach (var batch in request.BatchSizes!)
            foreach (var seed in request.Seeds!)
            {
                var config = envConfig with
                {
                    Env = env, ActorDepth = actorDepth, CriticDepth = criticDepth,
                    ActorWidth = width, CriticWidth = width, BatchSize = batch, Seed = seed,
                };
                if (!epochsGiven) config = config with { NumEpochs = EpochsFor(config) };
                foreach (var problem in config.Problems())
                {
                    var knob = CrlKnobs.Get(problem.Knob).ApiName;
                    Add(Gives(request.PerEnv?.GetValueOrDefault(env), knob) ? $"perEnv.{env}.{knob}" : knob, problem.Message);
                }
                runs.Add(new PlannedRun(config, SizesOf(config)));
            }
        }
        if (errors.Count > 0) throw Rejected(errors);
        return new SweepPlan(request.Name!.Trim(), runs, request);
    }

    /// <summary>
    /// The default of 100 epochs needs 100 training steps (3.7M env steps at the paper's 512 × 62); a smaller budget
    /// gets one epoch per training step it affords instead of being refused, so <c>"totalEnvSteps": 2000000</c> works.
    /// </summary>
    private static int EpochsFor(CrlConfig config)
    {
        var trainingSteps = (config.TotalEnvSteps - (long)config.MinReplaySize * config.NumEnvs) / Math.Max(1, config.EnvStepsPerTrainingStep);
        return (int)Math.Clamp(trainingSteps, 1, config.NumEpochs);
    }

    public static NetworkSizes SizesOf(CrlConfig config) => CrlTrainer.AgentSpec(config, EnvRegistry.Get(config.Env).Spec).Sizes;

    private static CrlConfig ApplySettings(CrlConfig config, Dictionary<string, JsonElement>? settings, Action<string, string> error)
    {
        foreach (var (name, value) in settings ?? [])
        {
            if (!CrlKnobs.TryFind(name, out var knob) || Axes.Contains(knob.Name))
            {
                // The field name is the user's too: filed and shown clipped, so a 10 MB key is not sent back.
                error(Echo.Clipped(name), knob is null
                    ? $"{Echo.Quoted(name)} is not a trainer setting; known: {string.Join(", ", Settings.Select(k => k.ApiName).Order())}"
                    : $"{Echo.Quoted(name)} is a grid axis: list its values in the request's axis field instead");
                continue;
            }
            try
            {
                config = knob.With(config, knob.Read(value));
            }
            catch (FormatException e)
            {
                error(knob.ApiName, e.Message);
            }
        }
        return config;
    }

    private static SweepRejected Rejected(Dictionary<string, List<string>> errors) =>
        new(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    private static string CamelCase(string name) => string.IsNullOrEmpty(name) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}

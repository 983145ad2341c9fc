using System.CommandLine;
using System.Globalization;
using System.Reflection;
using Crl.Core.Training;

namespace Crl.Jobs.Cli;

/// <summary>
/// One kebab-case flag per <see cref="CrlConfig"/> knob (<c>BatchSize</c> ↔ <c>--batch-size</c>), plus <c>--depth</c>
/// and <c>--width</c> that set actor and critic together. Shared by <c>train</c> and <c>describe</c>.
/// </summary>
public sealed class ConfigOptions
{
    static readonly Dictionary<string, string> Descriptions = new()
    {
        [nameof(CrlConfig.Env)] = "Training environment id (see `envs`)",
        [nameof(CrlConfig.EvalEnv)] = "Environment evaluated after each epoch (default: --env), e.g. point_big_maze_eval",
        [nameof(CrlConfig.ActorDepth)] = "Dense layers in the actor's residual blocks (multiple of 4, 4–1024)",
        [nameof(CrlConfig.CriticDepth)] = "Dense layers in each critic encoder's residual blocks (multiple of 4, 4–1024)",
        [nameof(CrlConfig.ActorWidth)] = "Actor hidden width",
        [nameof(CrlConfig.CriticWidth)] = "Critic encoders' hidden width",
        [nameof(CrlConfig.BatchSize)] = "Minibatch size (code default 256, paper 512)",
        [nameof(CrlConfig.NumEnvs)] = "Parallel training environments",
        [nameof(CrlConfig.UnrollLength)] = "Env steps per env per training step",
        [nameof(CrlConfig.EpisodeLength)] = "Episode limit and relabelling window",
        [nameof(CrlConfig.MaxReplaySize)] = "Replay capacity, time steps per env",
        [nameof(CrlConfig.MinReplaySize)] = "Prefill, time steps per env",
        [nameof(CrlConfig.Gamma)] = "Discount of the hindsight-goal distribution",
        [nameof(CrlConfig.NumSgdBatchesPerTrainingStep)] = "SGD updates per training step (800 ⇒ UTD 1:40)",
        [nameof(CrlConfig.TotalEnvSteps)] = "Environment step budget",
        [nameof(CrlConfig.NumEpochs)] = "Epochs (each ends with evaluation and checkpoint)",
        [nameof(CrlConfig.NumEvalEnvs)] = "Evaluation episodes per epoch",
        [nameof(CrlConfig.Seed)] = "Random seed",
        [nameof(CrlConfig.ActorLr)] = "Actor learning rate",
        [nameof(CrlConfig.CriticLr)] = "Critic learning rate",
        [nameof(CrlConfig.AlphaLr)] = "Entropy temperature learning rate",
        [nameof(CrlConfig.LogsumexpPenaltyCoeff)] = "Weight of the logsumexp² penalty",
        [nameof(CrlConfig.EntropyParam)] = "Target entropy = −entropy_param × action_dim",
        [nameof(CrlConfig.Device)] = "auto, cpu or cuda",
        [nameof(CrlConfig.TorchThreads)] = "libtorch CPU threads (0 = one per core)",
        [nameof(CrlConfig.ResetMode)] = "Auto-reset of training envs: FirstState (Brax) or Resample",
        [nameof(CrlConfig.EvalBeforeTraining)] = "Evaluate the untrained policy first (epoch 0)",
    };

    private readonly List<(PropertyInfo Property, Option<string?> Option)> knobs = [];
    private readonly Option<int?> depth = new("--depth") { Description = "Sets --actor-depth and --critic-depth" };
    private readonly Option<int?> width = new("--width") { Description = "Sets --actor-width and --critic-width" };

    public ConfigOptions()
    {
        var defaults = new CrlConfig();
        foreach (var property in typeof(CrlConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var description = Descriptions.GetValueOrDefault(property.Name, property.Name);
            var option = new Option<string?>(CrlConfig.Flag(property.Name))
            {
                Description = $"{description} [default: {Format(property.GetValue(defaults))}]",
            };
            knobs.Add((property, option));
        }
    }

    public void AddTo(Command command)
    {
        command.Options.Add(depth);
        command.Options.Add(width);
        foreach (var (_, option) in knobs) command.Options.Add(option);
    }

    /// <summary>The config the flags describe, or the list of flag errors.</summary>
    public (CrlConfig? Config, IReadOnlyList<string> Errors) Bind(ParseResult parse, CrlConfig? start = null)
    {
        var config = (start ?? new CrlConfig()) with { };
        var errors = new List<string>();
        if (parse.GetValue(depth) is { } d) config = config with { ActorDepth = d, CriticDepth = d };
        if (parse.GetValue(width) is { } w) config = config with { ActorWidth = w, CriticWidth = w };
        foreach (var (property, option) in knobs)
        {
            if (parse.GetValue(option) is not { } text) continue;
            try
            {
                property.SetValue(config, Parse(property.PropertyType, text));
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                errors.Add($"{option.Name}: cannot read '{text}' as {Describe(property.PropertyType)}");
            }
        }
        if (errors.Count > 0) return (null, errors);
        var invalid = config.Validate();
        return invalid.Count > 0 ? (null, invalid) : (config, []);
    }

    /// <summary>Whether any knob flag was given (resume refuses to silently mix them with a checkpoint's config).</summary>
    public bool AnyGiven(ParseResult parse) =>
        parse.GetValue(depth) is not null || parse.GetValue(width) is not null || knobs.Any(k => parse.GetValue(k.Option) is not null);

    static object? Parse(Type type, string text)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string)) return text;
        if (underlying == typeof(int)) return checked((int)ParseLong(text));
        if (underlying == typeof(long)) return ParseLong(text);
        if (underlying == typeof(double)) return double.Parse(text, CultureInfo.InvariantCulture);
        if (underlying == typeof(bool)) return text.ToLowerInvariant() switch { "1" or "true" or "yes" => true, "0" or "false" or "no" => false, _ => throw new FormatException() };
        if (underlying.IsEnum) return Enum.Parse(underlying, text, ignoreCase: true);
        throw new ArgumentException($"unsupported knob type {type}");
    }

    // Accepts 100000000, 100_000_000 and 1e8.
    static long ParseLong(string text)
    {
        var clean = text.Replace("_", "");
        if (long.TryParse(clean, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return value;
        var d = double.Parse(clean, CultureInfo.InvariantCulture);
        if (d != Math.Floor(d) || d > long.MaxValue || d < long.MinValue) throw new FormatException();
        return (long)d;
    }

    static string Describe(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(underlying))}" : underlying.Name.ToLowerInvariant();
    }

    static string Format(object? value) => value switch
    {
        null => "none",
        double d => d.ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}

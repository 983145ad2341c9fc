using System.CommandLine;
using Crl.Core.Training;

namespace Crl.Jobs.Cli;

/// <summary>
/// One kebab-case flag per <see cref="CrlConfig"/> knob (<c>BatchSize</c> ↔ <c>--batch-size</c>), described by its
/// declaration, plus <c>--depth</c> and <c>--width</c> that set actor and critic together. Shared by <c>train</c> and
/// <c>describe</c>.
/// </summary>
public sealed class ConfigOptions
{
    private readonly List<(Knob Knob, Option<string?> Option)> knobs = [];
    private readonly Option<int?> depth = new("--depth") { Description = "Sets --actor-depth and --critic-depth" };
    private readonly Option<int?> width = new("--width") { Description = "Sets --actor-width and --critic-width" };

    public ConfigOptions()
    {
        foreach (var knob in CrlKnobs.All)
            knobs.Add((knob, new Option<string?>(knob.Flag) { Description = HelpOf(knob) }));
    }

    /// <summary>A flag's help line: what it is, the values it takes and its default.</summary>
    public static string HelpOf(Knob knob) =>
        $"{knob.Description}; {knob.Allowed}{(knob.Unit == "" ? "" : " " + knob.Unit)} [default: {Knob.Format(knob.Default)}]";

    public void AddTo(Command command)
    {
        command.Options.Add(depth);
        command.Options.Add(width);
        foreach (var (_, option) in knobs) command.Options.Add(option);
    }

    /// <summary>The config the flags describe, or the list of flag errors.</summary>
    public (CrlConfig? Config, IReadOnlyList<string> Errors) Bind(ParseResult parse, CrlConfig? start = null)
    {
        var config = start ?? new CrlConfig();
        var errors = new List<string>();
        if (parse.GetValue(depth) is { } d) config = config with { ActorDepth = d, CriticDepth = d };
        if (parse.GetValue(width) is { } w) config = config with { ActorWidth = w, CriticWidth = w };
        foreach (var (knob, option) in knobs)
        {
            if (parse.GetValue(option) is not { } text) continue;
            try
            {
                config = knob.With(config, knob.Parse(text));
            }
            catch (FormatException e)
            {
                errors.Add(e.Message);
            }
        }
        if (errors.Count > 0) return (null, errors);
        var invalid = config.Validate();
        return invalid.Count > 0 ? (null, invalid) : (config, []);
    }
}

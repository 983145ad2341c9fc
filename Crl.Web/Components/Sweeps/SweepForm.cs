using System.Globalization;
using System.Text.Json;
using Crl.Core.Training;
using Crl.Jobs.Sweeps;

namespace Crl.Web.Components.Sweeps;

/// <summary>
/// The launch form's fields as the user types them (lists as comma-separated text), turned into the same
/// <see cref="SweepRequest"/> the API takes, so the browser and scripts share one validation.
/// </summary>
public sealed class SweepForm
{
    /// <summary>The knobs the form has a field for, in the form's order; the rest keep their defaults (or a clone's values).</summary>
    public static IReadOnlyList<Knob> Fields { get; } =
    [
        .. new[]
        {
            nameof(CrlConfig.TotalEnvSteps), nameof(CrlConfig.NumEpochs), nameof(CrlConfig.NumEnvs), nameof(CrlConfig.UnrollLength),
            nameof(CrlConfig.EpisodeLength), nameof(CrlConfig.NumSgdBatchesPerTrainingStep), nameof(CrlConfig.NumEvalEnvs),
        }.Select(CrlKnobs.Get),
    ];

    /// <summary>The paper's ablation switches (knobs declared with <c>Ablation = true</c>), in declaration order.</summary>
    public static IReadOnlyList<Knob> Switches { get; } = [.. CrlKnobs.All.Where(k => k.IsAblation)];

    /// <summary>Switches that change memory and time, never results (knobs declared with <c>ComputeOnly = true</c>); their panel is apart from the ablations'.</summary>
    public static IReadOnlyList<Knob> ComputeSwitches { get; } = [.. CrlKnobs.All.Where(k => k.IsComputeOnly)];

    /// <summary>Every switch the form offers, each with a menu or a typed value in <see cref="SwitchSettings"/>.</summary>
    public static IReadOnlyList<Knob> AllSwitches { get; } = [.. Switches, .. ComputeSwitches];

    /// <summary>The values a switch's menu offers, or null for a typed value (a number, an action selection).</summary>
    public static IReadOnlyList<string>? SwitchChoices(Knob knob) =>
        knob.Type == typeof(bool) ? ["true", "false"] : knob.Choices;

    public string Name { get; set; } = "";
    public IReadOnlyCollection<string> Envs { get; set; } = ["point_u_maze"];
    public bool SeparateDepths { get; set; }
    public string Depths { get; set; } = "4, 16";
    public string ActorDepths { get; set; } = "4";
    public string CriticDepths { get; set; } = "4";
    public string Widths { get; set; } = "256";
    public string BatchSizes { get; set; } = "256";
    public string Seeds { get; set; } = "1, 2, 3";

    /// <summary>
    /// The <see cref="Fields"/>' values by API name; empty leaves the knob at its default. A new form starts from the
    /// defaults, except a 2M-step budget that finishes in hours rather than the paper's 100M and epochs left to the
    /// planner (100, or one per training step a small budget affords).
    /// </summary>
    public Dictionary<string, long?> Settings { get; set; } = Fields.ToDictionary(
        k => k.ApiName,
        k => k.Name switch
        {
            nameof(CrlConfig.TotalEnvSteps) => 2_000_000,
            nameof(CrlConfig.NumEpochs) => (long?)null,
            _ => Convert.ToInt64(k.Default, CultureInfo.InvariantCulture),
        });

    /// <summary>The <see cref="AllSwitches"/>' values as typed or picked, by API name; empty keeps the paper's setting.</summary>
    public Dictionary<string, string?> SwitchSettings { get; set; } = AllSwitches.ToDictionary(k => k.ApiName, _ => (string?)null);

    /// <summary>Knobs the form has no field for (a clone of a sweep made through the API keeps them).</summary>
    public Dictionary<string, JsonElement> OtherSettings { get; set; } = [];

    /// <summary>Per-task settings over the rest (a paper preset's budgets and eval goal sets), kept as they came.</summary>
    public Dictionary<string, Dictionary<string, JsonElement>> PerEnv { get; set; } = [];

    /// <summary>The paper preset the form was filled from, shown above the fields; null for a blank form or a clone.</summary>
    public PaperPreset? Preset { get; set; }

    /// <summary>A grid axis field's helper text: the values every knob it sets allows.</summary>
    public static string AxisHelp(string property) => $"each {CrlKnobs.Get(property).Allowed}, comma-separated";

    /// <summary>A setting field's helper text: its allowed values, unit and what an empty field means.</summary>
    /// <summary>The field's label; epochs say what an empty field means, since the planner picks them then.</summary>
    public static string FieldLabel(Knob knob) =>
        knob.Name == nameof(CrlConfig.NumEpochs) ? $"{knob.Label} (empty: {Knob.Format(knob.Default)}, or fewer for small budgets)" : knob.Label;

    public static string FieldHelp(Knob knob) =>
        $"{knob.Allowed}{(knob.Unit == "" ? "" : " " + knob.Unit)}; empty: {Knob.Format(knob.Default)}"
        + (knob.Name == nameof(CrlConfig.NumEpochs) ? ", or fewer for small budgets" : "");

    /// <summary>The request, or the fields whose text is not a list of whole numbers.</summary>
    public (SweepRequest? Request, Dictionary<string, string[]> Errors) ToRequest()
    {
        var errors = new Dictionary<string, string[]>();
        List<T>? List<T>(string field, string text, Func<string, (bool, T)> parse)
        {
            var items = text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries);
            var values = new List<T>();
            foreach (var item in items)
            {
                var (ok, value) = parse(item);
                if (!ok)
                {
                    errors[field] = [$"'{item}' is not a whole number; write values separated by commas"];
                    return null;
                }
                values.Add(value);
            }
            return values;
        }
        (bool, int) Int(string s) => (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v), v);
        (bool, long) Long(string s) => (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v), v);

        var switches = new Dictionary<string, JsonElement>();
        foreach (var knob in AllSwitches)
        {
            if (string.IsNullOrWhiteSpace(SwitchSettings.GetValueOrDefault(knob.ApiName))) continue;
            try
            {
                switches[knob.ApiName] = JsonSerializer.SerializeToElement(knob.Parse(SwitchSettings[knob.ApiName]!.Trim()), Crl.Jobs.Persistence.StoredConfig.Json);
            }
            catch (FormatException e)
            {
                errors[knob.ApiName] = [e.Message];
            }
        }

        var request = new SweepRequest
        {
            Name = Name,
            Envs = [.. Envs],
            Depths = SeparateDepths ? null : List("depths", Depths, Int),
            ActorDepths = SeparateDepths ? List("actorDepths", ActorDepths, Int) : null,
            CriticDepths = SeparateDepths ? List("criticDepths", CriticDepths, Int) : null,
            Widths = List("widths", Widths, Int),
            BatchSizes = List("batchSizes", BatchSizes, Int),
            Seeds = List("seeds", Seeds, Long),
            Settings = OtherSettings
                .Concat(Settings.Where(kv => kv.Value is not null).Select(kv => KeyValuePair.Create(kv.Key, JsonSerializer.SerializeToElement(kv.Value))))
                .Concat(switches)
                .ToDictionary(kv => kv.Key, kv => kv.Value),
            PerEnv = PerEnv.Count == 0 ? null : PerEnv,
        };
        return (errors.Count == 0 ? request : null, errors);
    }

    /// <summary>Fills the form with one of the paper's experiments, under the preset's own name.</summary>
    public static SweepForm From(PaperPreset preset)
    {
        var form = From(preset.Request, "");
        form.Preset = preset;
        return form;
    }

    /// <summary>Fills the form from a past sweep ("clone"); a setting the sweep left out stays empty, as it ran.</summary>
    public static SweepForm From(SweepRequest request, string nameSuffix = " (copy)")
    {
        bool IsField(string name) => Fields.Concat(AllSwitches).Any(k => string.Equals(k.ApiName, name, StringComparison.OrdinalIgnoreCase));
        long? Setting(Knob knob)
        {
            var given = (request.Settings ?? []).Where(kv => string.Equals(kv.Key, knob.ApiName, StringComparison.OrdinalIgnoreCase)).ToList();
            // A stored sweep passed validation, so its values read; numbers may be JSON strings, as the API accepts them.
            return given.Count == 0 ? null : Convert.ToInt64(knob.Read(given[0].Value), CultureInfo.InvariantCulture);
        }
        string? Switch(Knob knob)
        {
            var given = (request.Settings ?? []).Where(kv => string.Equals(kv.Key, knob.ApiName, StringComparison.OrdinalIgnoreCase)).ToList();
            return given.Count == 0 ? null : Knob.Format(knob.Read(given[0].Value));
        }
        return new SweepForm
        {
            Name = request.Name + nameSuffix,
            Envs = request.Envs ?? [],
            SeparateDepths = request.Depths is null,
            Depths = Join(request.Depths),
            ActorDepths = Join(request.ActorDepths),
            CriticDepths = Join(request.CriticDepths),
            Widths = Join(request.Widths),
            BatchSizes = Join(request.BatchSizes),
            Seeds = Join(request.Seeds),
            Settings = Fields.ToDictionary(k => k.ApiName, Setting),
            SwitchSettings = AllSwitches.ToDictionary(k => k.ApiName, Switch),
            OtherSettings = (request.Settings ?? []).Where(kv => !IsField(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value),
            PerEnv = (request.PerEnv ?? []).ToDictionary(kv => kv.Key, kv => kv.Value),
        };
    }

    private static string Join<T>(IEnumerable<T>? values) => values is null ? "" : string.Join(", ", values);
}

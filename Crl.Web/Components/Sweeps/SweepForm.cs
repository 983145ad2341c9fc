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
    private static readonly CrlConfig Defaults = new();

    public string Name { get; set; } = "";
    public IReadOnlyCollection<string> Envs { get; set; } = ["point_u_maze"];
    public bool SeparateDepths { get; set; }
    public string Depths { get; set; } = "4, 16";
    public string ActorDepths { get; set; } = "4";
    public string CriticDepths { get; set; } = "4";
    public string Widths { get; set; } = "256";
    public string BatchSizes { get; set; } = "256";
    public string Seeds { get; set; } = "1, 2, 3";
    public long TotalEnvSteps { get; set; } = 2_000_000;
    public int NumEnvs { get; set; } = Defaults.NumEnvs;
    public int UnrollLength { get; set; } = Defaults.UnrollLength;
    public int EpisodeLength { get; set; } = Defaults.EpisodeLength;
    public int NumSgdBatchesPerTrainingStep { get; set; } = Defaults.NumSgdBatchesPerTrainingStep;
    public int? NumEpochs { get; set; }
    public int NumEvalEnvs { get; set; } = Defaults.NumEvalEnvs;

    /// <summary>Knobs the form has no field for (a clone of a sweep made through the API keeps them).</summary>
    public Dictionary<string, JsonElement> OtherSettings { get; set; } = [];

    private static readonly string[] FormSettings = ["totalEnvSteps", "numEnvs", "unrollLength", "episodeLength", "numSgdBatchesPerTrainingStep", "numEvalEnvs", "numEpochs"];

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

        var settings = new Dictionary<string, object>
        {
            ["totalEnvSteps"] = TotalEnvSteps,
            ["numEnvs"] = NumEnvs,
            ["unrollLength"] = UnrollLength,
            ["episodeLength"] = EpisodeLength,
            ["numSgdBatchesPerTrainingStep"] = NumSgdBatchesPerTrainingStep,
            ["numEvalEnvs"] = NumEvalEnvs,
        };
        if (NumEpochs is { } epochs) settings["numEpochs"] = epochs;

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
                .Concat(settings.Select(kv => KeyValuePair.Create(kv.Key, JsonSerializer.SerializeToElement(kv.Value))))
                .ToDictionary(kv => kv.Key, kv => kv.Value),
        };
        return (errors.Count == 0 ? request : null, errors);
    }

    /// <summary>Fills the form from a past sweep ("clone").</summary>
    public static SweepForm From(SweepRequest request)
    {
        int? Setting(string name) => request.Settings?.TryGetValue(name, out var v) == true && v.TryGetInt32(out var i) ? i : null;
        var form = new SweepForm
        {
            Name = request.Name + " (copy)",
            Envs = request.Envs ?? [],
            SeparateDepths = request.Depths is null,
            Depths = Join(request.Depths),
            ActorDepths = Join(request.ActorDepths),
            CriticDepths = Join(request.CriticDepths),
            Widths = Join(request.Widths),
            BatchSizes = Join(request.BatchSizes),
            Seeds = Join(request.Seeds),
            NumEpochs = Setting("numEpochs"),
            OtherSettings = (request.Settings ?? []).Where(kv => !FormSettings.Contains(kv.Key, StringComparer.OrdinalIgnoreCase))
                .ToDictionary(kv => kv.Key, kv => kv.Value),
        };
        if (request.Settings?.TryGetValue("totalEnvSteps", out var total) == true && total.TryGetInt64(out var t)) form.TotalEnvSteps = t;
        form.NumEnvs = Setting("numEnvs") ?? form.NumEnvs;
        form.UnrollLength = Setting("unrollLength") ?? form.UnrollLength;
        form.EpisodeLength = Setting("episodeLength") ?? form.EpisodeLength;
        form.NumSgdBatchesPerTrainingStep = Setting("numSgdBatchesPerTrainingStep") ?? form.NumSgdBatchesPerTrainingStep;
        form.NumEvalEnvs = Setting("numEvalEnvs") ?? form.NumEvalEnvs;
        return form;
    }

    private static string Join<T>(IEnumerable<T>? values) => values is null ? "" : string.Join(", ", values);
}

using System.Globalization;
using System.Text.Json;
using Crl.Jobs.Persistence.Model;

namespace Crl.Web.Analysis;

/// <summary>How the spread across a group's runs is drawn around its mean.</summary>
public enum CurveBand
{
    /// <summary>± one standard error of the mean, as the paper draws its curves.</summary>
    StandardError,

    /// <summary>The 2.5th to 97.5th percentile of the mean over bootstrap resamples of the group's runs.</summary>
    Bootstrap95,

    None,
}

/// <summary>Config fields of a set of runs: those whose value differs between them (the ones worth comparing), and the rest.</summary>
public sealed record ConfigFields(IReadOnlyList<string> Varying, IReadOnlyList<string> Same)
{
    public static readonly ConfigFields None = new([], []);

    /// <summary>The varying fields first.</summary>
    public IEnumerable<string> All => Varying.Concat(Same);
}

/// <summary>One run's logged values of one metric.</summary>
public sealed record RunCurve(Run Run, IReadOnlyList<long> Steps, IReadOnlyList<double> Values);

/// <summary>A group's mean curve with the band's lower and upper edge at each step.</summary>
public sealed record GroupCurve(string Label, IReadOnlyList<double> Steps, IReadOnlyList<double> Mean, IReadOnlyList<double> Lower, IReadOnlyList<double> Upper, int Runs);

/// <summary>
/// Seeds are a sweep axis, not noise to hide: runs that share the value of a config field are averaged step by step
/// (only at steps every run of the group has logged), with a band across the group's runs. Any field of the runs'
/// stored trainer config can be the grouping key; no key overlays every run on its own.
/// </summary>
public static class CurveGrouping
{
    /// <summary>The config fields the runs can be grouped by, each part in config order.</summary>
    public static ConfigFields Fields(IEnumerable<Run> runs)
    {
        var values = new Dictionary<string, HashSet<string>>();
        var order = new List<string>();
        foreach (var run in runs)
            foreach (var (field, value) in ConfigValues(run))
            {
                if (!values.TryGetValue(field, out var seen)) { values[field] = seen = []; order.Add(field); }
                seen.Add(value);
            }
        return new ConfigFields([.. order.Where(f => values[f].Count > 1)], [.. order.Where(f => values[f].Count <= 1)]);
    }

    public static IReadOnlyList<GroupCurve> Group(IReadOnlyList<RunCurve> curves, string? field, CurveBand band)
    {
        if (field is null)
            return curves.Select(c => Aggregate($"run #{c.Run.Id} ({c.Run.Env}, depth {c.Run.ActorDepth}/{c.Run.CriticDepth}, seed {c.Run.Seed})", [c], band)).ToList();

        return curves.GroupBy(c => ConfigValue(c.Run, field))
            .OrderBy(g => g.Key, ConfigValueOrder.Instance)
            .Select(g => Aggregate($"{field} = {g.Key}", [.. g], band))
            .ToList();
    }

    private static GroupCurve Aggregate(string label, IReadOnlyList<RunCurve> members, CurveBand band)
    {
        var byStep = members.Select(m => m.Steps.Zip(m.Values).GroupBy(p => p.First).ToDictionary(p => p.Key, p => p.Last().Second)).ToList();
        var common = new SortedSet<long>(byStep.Count == 0 ? [] : byStep[0].Keys);
        foreach (var d in byStep.Skip(1)) common.IntersectWith(d.Keys);

        var steps = new List<double>(common.Count);
        var means = new List<double>(common.Count);
        var lower = new List<double>(common.Count);
        var upper = new List<double>(common.Count);
        // One generator per group, seeded by its label: the same data always draws the same band.
        var random = new Random(StableHash(label));
        var values = new double[members.Count];
        foreach (var step in common)
        {
            for (int i = 0; i < values.Length; i++) values[i] = byStep[i][step];
            var mean = values.Average();
            var (lo, hi) = band switch
            {
                CurveBand.StandardError => (mean - SeedStatistics.StandardError(values, mean), mean + SeedStatistics.StandardError(values, mean)),
                CurveBand.Bootstrap95 => SeedStatistics.BootstrapInterval95(values, random),
                _ => (mean, mean),
            };
            steps.Add(step);
            means.Add(mean);
            lower.Add(lo);
            upper.Add(hi);
        }
        return new GroupCurve(label, steps, means, lower, upper, members.Count);
    }

    private static int StableHash(string text)
    {
        unchecked
        {
            int hash = (int)2166136261;
            foreach (var c in text) hash = (hash ^ c) * 16777619;
            return hash;
        }
    }

    private static IEnumerable<(string Field, string Value)> ConfigValues(Run run)
    {
        using var config = JsonDocument.Parse(run.ConfigJson);
        foreach (var property in config.RootElement.EnumerateObject())
            yield return (property.Name, Text(property.Value));
    }

    /// <summary>The run's value of a config field as text (a number as written, a switch "true"), "(not set)" when absent.</summary>
    public static string ConfigValue(Run run, string field)
    {
        using var config = JsonDocument.Parse(run.ConfigJson);
        return config.RootElement.TryGetProperty(field, out var value) ? Text(value) : "(not set)";
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };

    /// <summary>Numbers in numeric order (4 before 16), then text in ordinal order.</summary>
    private sealed class ConfigValueOrder : IComparer<string>
    {
        public static readonly ConfigValueOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            bool xNumber = double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var a);
            bool yNumber = double.TryParse(y, NumberStyles.Float, CultureInfo.InvariantCulture, out var b);
            return (xNumber, yNumber) switch
            {
                (true, true) => a.CompareTo(b),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(x, y),
            };
        }
    }
}

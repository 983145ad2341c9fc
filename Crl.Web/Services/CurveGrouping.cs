using Crl.Jobs.Persistence.Model;

namespace Crl.Web.Services;

/// <summary>A config field runs can be grouped by on the Compare page; None overlays every run.</summary>
public enum GroupField { None, Env, ActorDepth, CriticDepth, Width, BatchSize }

/// <summary>A group's mean curve with one standard error across its runs (seeds) at each step.</summary>
public sealed record GroupCurve(string Label, IReadOnlyList<double> Steps, IReadOnlyList<double> Mean, IReadOnlyList<double> StandardError, int Runs);

/// <summary>
/// Seeds are a sweep axis, not noise to hide: runs that share a group value are averaged step by step (only at steps
/// every run of the group has logged), with a band of one standard error, as the paper draws its curves.
/// </summary>
public static class CurveGrouping
{
    public static IReadOnlyList<GroupCurve> Group(IReadOnlyList<(Run Run, IReadOnlyList<long> Steps, IReadOnlyList<double> Values)> curves, GroupField field) =>
        curves.GroupBy(c => Label(c.Run, field))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Aggregate(g.Key, [.. g]))
            .ToList();

    private static GroupCurve Aggregate(string label, IReadOnlyList<(Run Run, IReadOnlyList<long> Steps, IReadOnlyList<double> Values)> members)
    {
        var byStep = members.Select(m => m.Steps.Zip(m.Values).GroupBy(p => p.First).ToDictionary(p => p.Key, p => p.Last().Second)).ToList();
        var common = new SortedSet<long>(byStep.Count == 0 ? [] : byStep[0].Keys);
        foreach (var d in byStep.Skip(1)) common.IntersectWith(d.Keys);
        var steps = new List<double>();
        var means = new List<double>();
        var errors = new List<double>();
        foreach (var step in common)
        {
            var point = ScalingAnalysis.Point(step, [.. byStep.Select(d => d[step])]);
            steps.Add(step);
            means.Add(point.Mean);
            errors.Add(point.StandardError);
        }
        return new GroupCurve(label, steps, means, errors, members.Count);
    }

    private static string Label(Run r, GroupField field) => field switch
    {
        GroupField.None => $"run #{r.Id} ({r.Env}, depth {r.ActorDepth}/{r.CriticDepth}, seed {r.Seed})",
        GroupField.Env => r.Env,
        GroupField.ActorDepth => $"actor depth {r.ActorDepth}",
        GroupField.CriticDepth => $"critic depth {r.CriticDepth}",
        GroupField.Width => $"width {r.ActorWidth}",
        GroupField.BatchSize => $"batch {r.BatchSize}",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };
}

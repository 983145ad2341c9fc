using Crl.Jobs.Persistence.Model;

namespace Crl.Web.Analysis;

/// <summary>The grid axis a scaling plot puts on x.</summary>
public enum ScalingAxis { ActorDepth, CriticDepth, Width, BatchSize }

/// <summary>One point of a scaling line: the mean over seeds of the final time at goal, with its standard error.</summary>
public sealed record ScalingPoint(double X, double Mean, double StandardError, int Seeds);

/// <summary>One line: runs that share every grid axis but x (and the seed).</summary>
public sealed record ScalingLine(string Label, IReadOnlyList<ScalingPoint> Points);

/// <summary>
/// The paper's single-number protocol (algorithm.md §4): each run's result is the mean of its last five evaluations; a
/// point is the mean over seeds, with error bars of one standard error across seeds.
/// </summary>
public static class ScalingAnalysis
{
    public static IReadOnlyList<ScalingLine> Lines(IEnumerable<Run> runs, ScalingAxis axis)
    {
        return runs
            .Where(r => r.FinalTimeAtGoal is not null)
            .GroupBy(r => Label(r, axis))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ScalingLine(g.Key, g
                .GroupBy(r => X(r, axis))
                .OrderBy(p => p.Key)
                .Select(p => Point(p.Key, [.. p.Select(r => r.FinalTimeAtGoal!.Value)]))
                .ToList()))
            .ToList();
    }

    public static ScalingPoint Point(double x, IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return new ScalingPoint(x, mean, SeedStatistics.StandardError(values, mean), values.Count);
    }

    public static double X(Run r, ScalingAxis axis) => axis switch
    {
        ScalingAxis.ActorDepth => r.ActorDepth,
        ScalingAxis.CriticDepth => r.CriticDepth,
        ScalingAxis.Width => r.ActorWidth,
        ScalingAxis.BatchSize => r.BatchSize,
        _ => throw new ArgumentOutOfRangeException(nameof(axis)),
    };

    // Depth sweeps with tied depths vary actor and critic together, so a depth axis leaves the other depth out of
    // the label only when they are equal.
    private static string Label(Run r, ScalingAxis axis)
    {
        var parts = new List<string> { r.Env };
        if (axis == ScalingAxis.ActorDepth && r.CriticDepth != r.ActorDepth) parts.Add($"critic depth {r.CriticDepth}");
        if (axis == ScalingAxis.CriticDepth && r.CriticDepth != r.ActorDepth) parts.Add($"actor depth {r.ActorDepth}");
        if (axis is ScalingAxis.Width or ScalingAxis.BatchSize) parts.Add(r.ActorDepth == r.CriticDepth ? $"depth {r.ActorDepth}" : $"depth {r.ActorDepth}/{r.CriticDepth}");
        if (axis != ScalingAxis.Width) parts.Add($"width {r.ActorWidth}");
        if (axis != ScalingAxis.BatchSize) parts.Add($"batch {r.BatchSize}");
        return string.Join(" · ", parts);
    }
}

/// <summary>Mean final time at goal for each (critic depth, actor depth) pair: the paper's actor-vs-critic heat map (algorithm.md §6.6).</summary>
public sealed record DepthGrid(IReadOnlyList<int> ActorDepths, IReadOnlyList<int> CriticDepths, double?[][] Mean)
{
    public static DepthGrid Of(IEnumerable<Run> runs)
    {
        var finished = runs.Where(r => r.FinalTimeAtGoal is not null).ToList();
        var actors = finished.Select(r => r.ActorDepth).Distinct().Order().ToList();
        var critics = finished.Select(r => r.CriticDepth).Distinct().Order().ToList();
        var cells = finished.GroupBy(r => (r.CriticDepth, r.ActorDepth)).ToDictionary(g => g.Key, g => g.Average(r => r.FinalTimeAtGoal!.Value));
        var mean = critics.Select(c => actors.Select(a => cells.TryGetValue((c, a), out var v) ? v : (double?)null).ToArray()).ToArray();
        return new DepthGrid(actors, critics, mean);
    }

    /// <summary>Worth drawing when both depths vary.</summary>
    public bool IsGrid => ActorDepths.Count > 1 && CriticDepths.Count > 1;
}

/// <summary>What a scaling chart draws: the measured lines, plus the paper's line for depth axes when asked and known.</summary>
public static class ScalingChartData
{
    public static IReadOnlyList<ScalingLine> Lines(IEnumerable<Run> runs, ScalingAxis axis, string? env, bool withPaper)
    {
        var lines = ScalingAnalysis.Lines(runs, axis).ToList();
        if (withPaper && axis is ScalingAxis.ActorDepth && !string.IsNullOrEmpty(env) && PaperReference.ForDepth(env) is { } paper)
            lines.Add(paper);
        return lines;
    }
}

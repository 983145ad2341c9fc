using Crl.Jobs.Persistence.Model;

namespace Crl.Web.Analysis;

/// <summary>
/// What a scaling plot puts on x: a grid axis, or what a run cost: training FLOPs (<see cref="Crl.Core.Training.TrainingCost"/>),
/// parameters of the three networks, or measured wall-clock hours of training.
/// </summary>
public enum ScalingAxis { ActorDepth, CriticDepth, Width, BatchSize, TrainingFlops, Parameters, WallClockHours }

public static class ScalingAxes
{
    public static bool IsCompute(this ScalingAxis axis) => axis is ScalingAxis.TrainingFlops or ScalingAxis.Parameters or ScalingAxis.WallClockHours;

    public static bool IsDepth(this ScalingAxis axis) => axis is ScalingAxis.ActorDepth or ScalingAxis.CriticDepth;

    public static string Title(this ScalingAxis axis) => axis switch
    {
        ScalingAxis.TrainingFlops => "training FLOPs",
        ScalingAxis.Parameters => "parameters (actor + both critic encoders)",
        ScalingAxis.WallClockHours => "wall-clock hours of training",
        _ => axis.ToString(),
    };
}

/// <summary>Measured points, the best-for-the-budget frontier over them, or the paper's numbers.</summary>
public enum ScalingLineKind { Measured, Frontier, Paper }

/// <summary>
/// One point of a scaling line: the mean over seeds of the final time at goal, with its standard error. On compute
/// axes x is the mean cost over the seeds and <paramref name="Config"/> names the configuration the point stands for.
/// </summary>
public sealed record ScalingPoint(double X, double Mean, double StandardError, int Seeds, string? Config = null);

/// <summary>One line: runs that share every grid axis but x (and the seed); on compute axes, one task's configurations.</summary>
public sealed record ScalingLine(string Label, IReadOnlyList<ScalingPoint> Points, ScalingLineKind Kind = ScalingLineKind.Measured);

/// <summary>What a run cost, for the compute axes.</summary>
public sealed record RunCost(double TrainingFlops, long Parameters, double? WallClockHours);

/// <summary>
/// The paper's single-number protocol (algorithm.md §4): each run's result is the mean of its last five evaluations; a
/// point is the mean over seeds, with error bars of one standard error across seeds.
/// </summary>
public static class ScalingAnalysis
{
    public static IReadOnlyList<ScalingLine> Lines(IEnumerable<Run> runs, ScalingAxis axis)
    {
        if (axis.IsCompute()) throw new ArgumentException("a compute axis needs each run's cost: use ComputeLines", nameof(axis));
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
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "not a grid axis"),
    };

    /// <summary>
    /// Performance against compute: one line per task whose points are its configurations (every grid axis but the
    /// seed), at the mean cost and mean result over seeds, then that task's frontier. Runs without the cost (no
    /// measured hours yet) are left out.
    /// </summary>
    public static IReadOnlyList<ScalingLine> ComputeLines(IEnumerable<Run> runs, ScalingAxis axis, IReadOnlyDictionary<long, RunCost> costs)
    {
        var lines = new List<ScalingLine>();
        var byTask = runs
            .Where(r => r.FinalTimeAtGoal is not null && costs.ContainsKey(r.Id) && Cost(costs[r.Id], axis) is not null)
            .GroupBy(r => r.Env)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var task in byTask)
        {
            // Axes every configuration of the task shares go in the line's label, the rest label each point.
            var widthVaries = task.Select(r => WidthText(r)).Distinct().Count() > 1;
            var batchVaries = task.Select(r => r.BatchSize).Distinct().Count() > 1;
            var first = task.First();
            var label = task.Key + (widthVaries ? "" : $" · width {WidthText(first)}") + (batchVaries ? "" : $" · batch {first.BatchSize}");
            var points = task
                .GroupBy(r => $"depth {DepthText(r)}" + (widthVaries ? $" · width {WidthText(r)}" : "") + (batchVaries ? $" · batch {r.BatchSize}" : ""))
                .Select(c => Point(c.Average(r => Cost(costs[r.Id], axis)!.Value), [.. c.Select(r => r.FinalTimeAtGoal!.Value)]) with { Config = c.Key })
                .OrderBy(p => p.X).ThenBy(p => p.Config, StringComparer.Ordinal)
                .ToList();
            lines.Add(new ScalingLine(label, points));
            lines.Add(Frontier(label, points));
        }
        return lines;
    }

    /// <summary>
    /// The best mean reached for at most each cost: the points that beat every cheaper one, drawn as a step (flat
    /// until the next improvement), and carried to the costliest point so the step spans every budget measured.
    /// </summary>
    public static ScalingLine Frontier(string line, IReadOnlyList<ScalingPoint> byCost)
    {
        var steps = new List<ScalingPoint>();
        foreach (var p in byCost)
            if (steps.Count == 0 || p.Mean > steps[^1].Mean) steps.Add(p);
        if (byCost.Count > 0 && steps[^1].X < byCost[^1].X) steps.Add(steps[^1] with { X = byCost[^1].X });
        return new ScalingLine($"frontier: {line}", steps, ScalingLineKind.Frontier);
    }

    public static double? Cost(RunCost cost, ScalingAxis axis) => axis switch
    {
        ScalingAxis.TrainingFlops => cost.TrainingFlops,
        ScalingAxis.Parameters => cost.Parameters,
        ScalingAxis.WallClockHours => cost.WallClockHours,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "not a compute axis"),
    };

    private static string DepthText(Run r) => r.ActorDepth == r.CriticDepth ? $"{r.ActorDepth}" : $"{r.ActorDepth}/{r.CriticDepth}";

    private static string WidthText(Run r) => r.ActorWidth == r.CriticWidth ? $"{r.ActorWidth}" : $"{r.ActorWidth}/{r.CriticWidth}";

    /// <summary>
    /// The critical depth of every line of a depth plot: each task and combination of the other axes is one series,
    /// its <see cref="CriticalDepth.OtherAxes"/> the line's label after the task, so a series finds its line.
    /// </summary>
    public static IReadOnlyList<CriticalDepth> CriticalDepths(IEnumerable<Run> runs, ScalingAxis axis, double threshold, BootstrapSettings settings)
    {
        if (!axis.IsDepth()) return [];
        return CriticalDepthDetection.Detect(
            runs.Where(r => r.FinalTimeAtGoal is not null)
                .Select(r => new DepthRun(r.Env, OtherAxes(r, axis), (int)X(r, axis), r.Seed, r.FinalTimeAtGoal!.Value)),
            threshold, settings);
    }

    /// <summary>The label of the line a critical-depth series belongs to.</summary>
    public static string LineLabel(CriticalDepth series) => string.IsNullOrEmpty(series.OtherAxes) ? series.Task : $"{series.Task} · {series.OtherAxes}";

    private static string OtherAxes(Run r, ScalingAxis axis)
    {
        var label = Label(r, axis);
        return label.Length > r.Env.Length ? label[(r.Env.Length + 3)..] : "";
    }

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
    /// <param name="costs">each run's cost, by run id; needed on compute axes only.</param>
    public static IReadOnlyList<ScalingLine> Lines(IEnumerable<Run> runs, ScalingAxis axis, string? env, bool withPaper, IReadOnlyDictionary<long, RunCost>? costs = null)
    {
        var lines = (axis.IsCompute() ? ScalingAnalysis.ComputeLines(runs, axis, costs ?? new Dictionary<long, RunCost>()) : ScalingAnalysis.Lines(runs, axis)).ToList();
        if (withPaper && !string.IsNullOrEmpty(env))
        {
            var paper = axis switch
            {
                ScalingAxis.ActorDepth => PaperReference.ForDepth(env),
                _ when axis.IsCompute() => PaperReference.ForCompute(env, axis),
                _ => null,
            };
            if (paper is not null) lines.Add(paper);
        }
        return lines;
    }
}

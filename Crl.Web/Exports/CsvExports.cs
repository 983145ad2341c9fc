using System.Globalization;
using CsvHelper;
using Crl.Core.Training;
using Crl.Jobs.Persistence.Model;
using Crl.Web.Analysis;
using Crl.Web.Queries;

namespace Crl.Web.Exports;

/// <summary>The CSV files users download; written with CsvHelper, invariant culture, one header row.</summary>
public static class CsvExports
{
    public static readonly string[] SweepResultColumns =
    [
        "run_id", "env", "actor_depth", "critic_depth", "actor_width", "critic_width", "batch_size", "seed", "state",
        "env_steps", "total_env_steps", "parameters", "final_time_at_goal", "final_success_rate", "latest_time_at_goal", "error",
    ];

    /// <summary>One row per logged step, one column per metric (empty where a metric was not logged at that step).</summary>
    public static async Task WriteMetricsAsync(TextWriter output, IReadOnlyList<MetricSeries> series)
    {
        var columns = series.Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        var rows = new SortedDictionary<long, (double Wall, Dictionary<string, double> Values)>();
        foreach (var s in series)
            for (int i = 0; i < s.Steps.Count; i++)
            {
                if (!rows.TryGetValue(s.Steps[i], out var row)) rows[s.Steps[i]] = row = (s.WallTimes[i], []);
                row.Values[s.Name] = s.Values[i];
            }

        await WriteAsync(output, ["env_steps", "wall_time", .. columns], rows.Select(kv =>
            (IEnumerable<object?>)[kv.Key, kv.Value.Wall, .. columns.Select(c => kv.Value.Values.TryGetValue(c, out var v) ? (object?)v : null)]));
    }

    /// <summary>One row per run: the grid axes and the final results (mean of the last five evaluations, algorithm.md §4).</summary>
    public static Task WriteSweepResultsAsync(TextWriter output, IEnumerable<Run> runs) =>
        WriteAsync(output, SweepResultColumns, runs.Select(r => (IEnumerable<object?>)
        [
            r.Id, r.Env, r.ActorDepth, r.CriticDepth, r.ActorWidth, r.CriticWidth, r.BatchSize, r.Seed, r.State,
            r.EnvStepsDone, r.TotalEnvSteps, r.TotalParameters, r.FinalTimeAtGoal, r.FinalSuccessRate, r.LatestTimeAtGoal, r.Error,
        ]));

    /// <summary>Exactly the points a curve chart draws (after smoothing and downsampling): one row per line and point.</summary>
    public static Task WriteChartAsync(TextWriter output, string xTitle, IEnumerable<(string Line, IReadOnlyList<double> X, IReadOnlyList<double> Y)> lines) =>
        WriteAsync(output, ["line", xTitle, "value"],
            lines.SelectMany(l => l.X.Zip(l.Y, (x, y) => (IEnumerable<object?>)[l.Line, x, y])));

    /// <summary>Exactly what the compare chart draws: one row per group and step, the mean and the band's edges.</summary>
    public static Task WriteGroupCurvesAsync(TextWriter output, string metric, CurveBand band, IEnumerable<GroupCurve> groups) =>
        WriteAsync(output, ["line", "runs", "env_steps", $"mean_{metric}", $"lower_{band}", $"upper_{band}"],
            groups.SelectMany(g => g.Steps.Select((step, i) => (IEnumerable<object?>)[g.Label, g.Runs, step, g.Mean[i], g.Lower[i], g.Upper[i]])));

    /// <summary>Exactly the points a trajectory chart draws: one row per episode and step, world metres, with the episode's goal.</summary>
    public static Task WriteTrajectoriesAsync(TextWriter output, EvalTrajectories trajectories) =>
        WriteAsync(output, ["episode", "step", "x", "y", "goal_x", "goal_y", "reached_goal"],
            trajectories.Paths.SelectMany((p, episode) => p.X.Select((x, step) => (IEnumerable<object?>)
                [episode + 1, step, x, p.Y[step], p.GoalX, p.GoalY, p.Success])));

    /// <summary>
    /// Exactly the points a scaling chart draws: one row per line and x, with mean, standard error and seeds; what
    /// kind of line (measured, frontier, paper) and, on compute axes, the configuration the point stands for.
    /// </summary>
    public static Task WriteScalingAsync(TextWriter output, ScalingAxis axis, IEnumerable<ScalingLine> lines) =>
        WriteAsync(output, ["line", axis.ToString(), "mean_final_time_at_goal", "standard_error", "seeds", "kind", "config"],
            lines.SelectMany(line => line.Points.Select(p => (IEnumerable<object?>)[line.Label, p.X, p.Mean, p.StandardError, p.Seeds, line.Kind, p.Config])));

    /// <summary>
    /// One row per line and depth: the mean over seeds with its bootstrap interval, and the line's critical depth and
    /// jump (empty when none was found) on each of its rows, so one file holds the verdict and what it rests on.
    /// </summary>
    public static Task WriteCriticalDepthsAsync(TextWriter output, ScalingAxis axis, double threshold, IEnumerable<CriticalDepth> depths) =>
        WriteAsync(output, ["task", "other_axes", axis.ToString(), "runs", "mean_final_time_at_goal", "lower", "upper", "critical_depth", "jump", "threshold"],
            depths.SelectMany(c => c.Depths.Select(d => (IEnumerable<object?>)
                [c.Task, c.OtherAxes, d.Depth, d.Runs, d.Mean.Value, d.Mean.Lower, d.Mean.Upper, c.Depth, c.Jump, threshold])));

    public static readonly string[] AggregateColumns = ["chart", "source", "statistic", "group", "baseline", "threshold", "value", "lower", "upper", "runs", "tasks"];

    /// <summary>
    /// Exactly what the Aggregate view's charts draw (all three, or the one named): one row per marker or profile
    /// point with its interval; the paper's overlay in rows of its own, source "paper".
    /// </summary>
    public static Task WriteAggregateAsync(TextWriter output, AggregateReport report, string? chart = null) =>
        WriteAsync(output, AggregateColumns, report.Rows(chart).Select(r => (IEnumerable<object?>)
            [r.Chart, r.Source, r.Statistic, r.Group, r.Baseline, r.Threshold, r.Value, r.Lower, r.Upper, r.Runs, r.Tasks]));

    /// <summary>Exactly the cells the actor × critic depth heat map draws (empty cells have no row).</summary>
    public static Task WriteDepthGridAsync(TextWriter output, DepthGrid grid) =>
        WriteAsync(output, ["actor_depth", "critic_depth", "mean_final_time_at_goal"],
            grid.CriticDepths.SelectMany((critic, row) => grid.ActorDepths.Select((actor, column) => (actor, critic, grid.Mean[row][column])))
                .Where(cell => cell.Item3 is not null)
                .Select(cell => (IEnumerable<object?>)[cell.actor, cell.critic, cell.Item3]));

    private static async Task WriteAsync(TextWriter output, string[] header, IEnumerable<IEnumerable<object?>> rows)
    {
        using (var csv = CsvWriter.Create(output, null, leaveOpen: true))
        {
            csv.WriteRecord(header);
            foreach (var row in rows) csv.WriteRecord([.. row.Select(Format)]);
            csv.Flush();
        }
        await output.FlushAsync();
    }

    // "R" keeps every digit of a double, so the file holds exactly what is stored (and drawn).
    private static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

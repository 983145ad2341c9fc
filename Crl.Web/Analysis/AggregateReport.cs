using System.Globalization;
using Crl.Jobs.Persistence.Model;

namespace Crl.Web.Analysis;

/// <summary>Which single number per run the aggregate statistics compare; higher is better for both.</summary>
public enum AggregateMetric
{
    /// <summary>Final time at goal: the mean of the run's last 5 evaluations, in steps at the goal (the Scaling page's number).</summary>
    TimeAtGoal,

    /// <summary>Final success rate: the mean of the last 5 evaluations' fraction of episodes that reached the goal.</summary>
    Success,
}

/// <summary>The three charts of the Aggregate view, by the names the CSV and the API use.</summary>
public static class AggregateCharts
{
    public const string Intervals = "intervals", Profiles = "profiles", Improvement = "improvement";
    public static readonly IReadOnlyList<string> All = [Intervals, Profiles, Improvement];
}

/// <summary>
/// One drawn value: a marker with its interval (intervals, improvement) or a point of a profile with its band. The
/// charts are drawn from these rows and the CSV is these rows, so the two cannot disagree. <see cref="Source"/> is
/// "ours" or "paper": the paper's numbers ride along for comparison and never enter our statistics.
/// </summary>
public sealed record AggregateRow(
    string Chart, string Source, string Statistic, string Group, string? Baseline, double? Threshold,
    double Value, double? Lower, double? Upper, int? Runs, int? Tasks)
{
    public const string Ours = "ours", Paper = "paper";
}

/// <summary>What the Aggregate view asks: group the runs by a config field, compare on a metric, against a baseline group.</summary>
public sealed record AggregateQuestion(string GroupBy, string? Baseline, AggregateMetric Metric, BootstrapSettings Bootstrap);

/// <summary>
/// The aggregate statistics of a set of runs as the Aggregate view and <c>/api/aggregate</c> show them: the tasks are
/// the runs' environments, the strata of the bootstrap; the groups are the values of one config field.
/// </summary>
public sealed record AggregateReport(
    AggregateMetric Metric, string GroupBy, string? Baseline, int Resamples, ulong Seed, double Confidence,
    double OptimalityThreshold, int Runs, IReadOnlyList<string> Tasks, AggregateResult Result, IReadOnlyList<AggregateRow> PaperRows)
{
    /// <summary>Points of each performance profile: τ from 0 to γ in this many equal steps.</summary>
    public const int ProfileSteps = 50;

    /// <summary>Fields that cannot group: the task is the bootstrap's stratum and seeds are what it resamples.</summary>
    private static readonly string[] NotGroupings = ["env", "seed"];

    public static readonly string[] IntervalStatistics = ["mean", "median", "iqm", "optimality_gap"];

    /// <summary>The runs' config fields that can group them, those whose value differs first.</summary>
    public static ConfigFields GroupingFields(IEnumerable<Run> runs)
    {
        var fields = CurveGrouping.Fields(runs);
        return new ConfigFields([.. fields.Varying.Except(NotGroupings)], [.. fields.Same.Except(NotGroupings)]);
    }

    /// <summary>The groups <paramref name="field"/> makes of the runs that have a result on <paramref name="metric"/>, in the field's order.</summary>
    public static IReadOnlyList<string> Groups(IEnumerable<Run> runs, string field, AggregateMetric metric) =>
        [.. runs.Where(r => Score(r, metric) is not null).Select(r => CurveGrouping.ConfigValue(r, field)).Distinct().Order(AggregateStatistics.GroupOrder.Instance)];

    /// <summary>
    /// The question the view starts from when the user has not said: the first field that differs (as Compare picks),
    /// and its first group (the smallest depth, say) as the baseline.
    /// </summary>
    public static AggregateQuestion DefaultQuestion(IReadOnlyList<Run> runs, string? groupBy, string? baseline, AggregateMetric metric, BootstrapSettings bootstrap)
    {
        var fields = GroupingFields(runs);
        var field = groupBy ?? fields.Varying.FirstOrDefault() ?? fields.Same.FirstOrDefault() ?? "actorDepth";
        return new AggregateQuestion(field, baseline ?? Groups(runs, field, metric).FirstOrDefault(), metric, bootstrap);
    }

    public static double? Score(Run run, AggregateMetric metric) => metric switch
    {
        AggregateMetric.TimeAtGoal => run.FinalTimeAtGoal,
        AggregateMetric.Success => run.FinalSuccessRate,
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    public static AggregateReport Build(IEnumerable<Run> runs, AggregateQuestion question)
    {
        var scored = runs.Where(r => Score(r, question.Metric) is not null).ToList();
        var scores = scored.Select(r => new RunScore(r.Env, CurveGrouping.ConfigValue(r, question.GroupBy), r.Seed, Score(r, question.Metric)!.Value)).ToList();
        var gamma = OptimalityThresholdOf(scored, question.Metric);
        var baseline = scores.Count == 0 ? null : question.Baseline;
        var result = AggregateStatistics.Compute(scores, new AggregateOptions(
            OptimalityThreshold: gamma,
            ProfileThresholds: [.. Enumerable.Range(0, ProfileSteps + 1).Select(i => gamma * i / ProfileSteps)],
            Baseline: baseline,
            Bootstrap: question.Bootstrap));
        var tasks = scores.Select(s => s.Task).Distinct().Order(StringComparer.Ordinal).ToList();
        return new AggregateReport(question.Metric, question.GroupBy, baseline, question.Bootstrap.Resamples, question.Bootstrap.RandomSeed,
            question.Bootstrap.Confidence, gamma, scores.Count, tasks, result, PaperOverlay(question, result, tasks));
    }

    /// <summary>
    /// γ of the optimality gap: a perfect run. Success tops out at 1; time at goal at the episode length (every step at
    /// the goal), the longest the runs used when they differ.
    /// </summary>
    private static double OptimalityThresholdOf(IReadOnlyList<Run> runs, AggregateMetric metric)
    {
        if (metric == AggregateMetric.Success) return 1;
        double longest = 0;
        foreach (var run in runs)
            longest = Math.Max(longest, double.TryParse(CurveGrouping.ConfigValue(run, "episodeLength"), NumberStyles.Float, CultureInfo.InvariantCulture, out var length)
                ? length : new Crl.Core.Training.CrlConfig().EpisodeLength);
        return longest > 0 ? longest : new Crl.Core.Training.CrlConfig().EpisodeLength;
    }

    /// <summary>
    /// The paper's Figure 1 numbers, where the question matches them: runs grouped by a depth, on time at goal, on
    /// tasks the paper trained. Its mean and median over the same tasks per depth (no interval: the figure gives one
    /// number per task), on the rows where ours are.
    /// </summary>
    private static IReadOnlyList<AggregateRow> PaperOverlay(AggregateQuestion question, AggregateResult result, IReadOnlyList<string> tasks)
    {
        if (question.Metric != AggregateMetric.TimeAtGoal || question.GroupBy is not ("actorDepth" or "criticDepth")) return [];
        var rows = new List<AggregateRow>();
        foreach (var group in result.Groups)
        {
            if (!int.TryParse(group.Group, NumberStyles.None, CultureInfo.InvariantCulture, out var depth)) continue;
            var values = tasks.Select(t => PaperReference.TimeAtGoal(t, depth)).OfType<double>().ToArray();
            if (values.Length == 0) continue;
            rows.Add(new AggregateRow(AggregateCharts.Intervals, AggregateRow.Paper, "mean", group.Group, null, null, values.Average(), null, null, null, values.Length));
            rows.Add(new AggregateRow(AggregateCharts.Intervals, AggregateRow.Paper, "median", group.Group, null, null, AggregateStatistics.Median(values), null, null, null, values.Length));
        }
        return rows;
    }

    /// <summary>Every drawn value of <paramref name="chart"/> (all charts when null), in drawing order.</summary>
    public IEnumerable<AggregateRow> Rows(string? chart = null)
    {
        if (chart is null or AggregateCharts.Intervals)
        {
            foreach (var statistic in IntervalStatistics)
            {
                foreach (var g in Result.Groups)
                {
                    var e = statistic switch { "mean" => g.Mean, "median" => g.Median, "iqm" => g.Iqm, _ => g.OptimalityGap };
                    yield return new AggregateRow(AggregateCharts.Intervals, AggregateRow.Ours, statistic, g.Group, null, null, e.Value, e.Lower, e.Upper, g.Runs, g.Tasks);
                }
                foreach (var paper in PaperRows.Where(p => p.Statistic == statistic)) yield return paper;
            }
        }
        if (chart is null or AggregateCharts.Profiles)
        {
            foreach (var g in Result.Groups)
                for (int i = 0; i < Result.ProfileThresholds.Count; i++)
                {
                    var e = g.Profile[i];
                    yield return new AggregateRow(AggregateCharts.Profiles, AggregateRow.Ours, "fraction_above", g.Group, null, Result.ProfileThresholds[i], e.Value, e.Lower, e.Upper, g.Runs, g.Tasks);
                }
        }
        if (chart is null or AggregateCharts.Improvement)
        {
            // A group that shares no task with the baseline has nothing to draw, so it has no row either.
            foreach (var p in Result.Improvements)
                if (p.Probability is { } e)
                    yield return new AggregateRow(AggregateCharts.Improvement, AggregateRow.Ours, "probability_of_improvement", p.Group, p.Baseline, null, e.Value, e.Lower, e.Upper, null, p.Tasks);
        }
    }
}

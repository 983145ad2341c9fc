using System.Globalization;

namespace Crl.Web.Analysis;

/// <summary>
/// The aggregate statistics of Agarwal et al., "Deep RL at the Edge of the Statistical Precipice" (NeurIPS 2021),
/// as the rliable library defines them, over runs grouped by one config field across tasks and seeds: mean, median,
/// IQM and optimality gap, performance profiles and the probability of improvement over a baseline group, each with
/// a percentile interval from the stratified bootstrap (seeds resampled within each task, each group on its own).
/// Pure: no I/O, and the same input and seed give the same numbers.
/// </summary>
public static class AggregateStatistics
{
    public static AggregateResult Compute(IEnumerable<RunScore> runs, AggregateOptions? options = null)
    {
        options ??= new AggregateOptions();
        var settings = options.Bootstrap ?? BootstrapSettings.Default;
        settings.Validate();
        var thresholds = options.ProfileThresholds?.ToArray() ?? [];
        if (!double.IsFinite(options.OptimalityThreshold)) throw new ArgumentException("the optimality threshold must be a number", nameof(options));
        if (thresholds.Any(double.IsNaN)) throw new ArgumentException("a profile threshold is not a number", nameof(options));

        var groups = Arrange(runs);
        if (options.Baseline is { } baseline && !groups.Any(g => g.Key == baseline))
            throw new ArgumentException($"the baseline group '{baseline}' has no runs", nameof(options));

        // Groups are independent and each draws from its own named stream, so threads change nothing but the time.
        var aggregates = new GroupAggregate[groups.Count];
        Parallel.For(0, groups.Count, g =>
        {
            var (key, tasks) = groups[g];
            var sample = new GroupSample(tasks.Values.ToArray(), options.OptimalityThreshold, thresholds);
            var e = StratifiedBootstrap.Estimates(sample, settings, StratifiedBootstrap.Stream(settings.RandomSeed, "aggregate", key));
            aggregates[g] = new GroupAggregate(key, sample.Runs, sample.Tasks,
                e[GroupSample.MeanIndex], e[GroupSample.MedianIndex], e[GroupSample.IqmIndex], e[GroupSample.GapIndex],
                e[GroupSample.ProfileStart..]);
        });

        var improvements = options.Baseline is { } b ? Improvements(groups, b, settings) : [];
        return new AggregateResult(thresholds, aggregates, improvements);
    }

    private static ImprovementProbability[] Improvements(
        List<(string Key, SortedDictionary<string, double[]> Tasks)> groups, string baseline, BootstrapSettings settings)
    {
        var baseTasks = groups.Single(g => g.Key == baseline).Tasks;
        var others = groups.Where(g => g.Key != baseline).ToList();
        var result = new ImprovementProbability[others.Count];
        Parallel.For(0, others.Count, i =>
        {
            var (key, tasks) = others[i];
            // Only tasks both groups ran: P(X > Y) on a task one of them skipped is undefined, not ½.
            var shared = tasks.Where(t => baseTasks.ContainsKey(t.Key)).Select(t => (t.Value, baseTasks[t.Key])).ToList();
            result[i] = shared.Count == 0
                ? new ImprovementProbability(key, baseline, 0, null)
                : new ImprovementProbability(key, baseline, shared.Count, StratifiedBootstrap.Estimate(
                    new ImprovementSample(shared), settings, StratifiedBootstrap.Stream(settings.RandomSeed, "improvement", key, baseline)));
        });
        return result;
    }

    /// <summary>
    /// Groups in the field's order, each group's tasks in ordinal order, each task's scores ordered by seed then score:
    /// the bootstrap indexes runs by position, so a fixed order keeps the intervals independent of how the caller
    /// (a database query) happened to list them.
    /// </summary>
    private static List<(string Key, SortedDictionary<string, double[]> Tasks)> Arrange(IEnumerable<RunScore> runs)
    {
        var list = runs.ToList();
        foreach (var run in list)
        {
            ArgumentNullException.ThrowIfNull(run);
            if (run.Task is null || run.Group is null) throw new ArgumentException("every run needs a task and a group", nameof(runs));
            if (!double.IsFinite(run.Score)) throw new ArgumentException($"run (task {run.Task}, group {run.Group}, seed {run.Seed}) has no finite score", nameof(runs));
        }
        return list
            .GroupBy(r => r.Group)
            .OrderBy(g => g.Key, GroupOrder.Instance)
            .Select(g => (g.Key, new SortedDictionary<string, double[]>(
                g.GroupBy(r => r.Task).ToDictionary(t => t.Key, t => t.OrderBy(r => r.Seed).ThenBy(r => r.Score).Select(r => r.Score).ToArray()),
                StringComparer.Ordinal)))
            .ToList();
    }

    /// <summary>
    /// How many runs the IQM cuts from each end of n: ⌊n/4⌋, as scipy.stats.trim_mean(·, 0.25) does and therefore
    /// rliable's aggregate_iqm. We follow that convention rather than the paper's "middle 50 %" taken literally
    /// (which would weight the two boundary runs fractionally when 4 ∤ n) so our IQMs equal rliable's on the same
    /// scores and a reader can check them with the library the field uses. When 4 ∤ n this keeps slightly more than
    /// half the runs (n = 6 keeps 4); when 4 | n both conventions agree.
    /// </summary>
    public static int IqmTrim(int n) => n / 4;

    /// <summary>Interquartile mean: the mean of the scores left after cutting <see cref="IqmTrim"/> from each end.</summary>
    public static double Iqm(IEnumerable<double> scores)
    {
        var sorted = scores.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no scores", nameof(scores));
        int trim = IqmTrim(sorted.Length);
        return sorted.AsSpan(trim, sorted.Length - 2 * trim).ToArray().Average();
    }

    /// <summary>The middle value, or the mean of the two middle values (numpy's median). Sorts <paramref name="values"/> in place.</summary>
    public static double Median(Span<double> values)
    {
        if (values.Length == 0) throw new ArgumentException("no values", nameof(values));
        values.Sort();
        int half = values.Length / 2;
        return values.Length % 2 == 1 ? values[half] : (values[half - 1] + values[half]) / 2;
    }

    /// <summary>Mean of max(0, γ − score): how far runs fall short of γ, with no credit for exceeding it.</summary>
    public static double OptimalityGap(IEnumerable<double> scores, double gamma) => scores.Select(s => Math.Max(0, gamma - s)).Average();

    /// <summary>The performance profile at one τ: the fraction of scores strictly above τ.</summary>
    public static double FractionAbove(IEnumerable<double> scores, double tau) => scores.Select(s => s > tau ? 1.0 : 0.0).Average();

    /// <summary>
    /// P(X &gt; Y) on one task: (1/(m·n)) Σᵢ Σⱼ S(xᵢ, yⱼ) with S = 1 if xᵢ &gt; yⱼ, ½ if equal, 0 otherwise (the
    /// Mann–Whitney U statistic over m·n). The definition itself, m·n comparisons; the bootstrap uses an m + n pass.
    /// </summary>
    public static double ProbabilityOfImprovement(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count == 0 || y.Count == 0) throw new ArgumentException("both groups need scores");
        double wins = 0;
        foreach (var xi in x)
            foreach (var yj in y)
                wins += xi > yj ? 1 : xi == yj ? 0.5 : 0;
        return wins / ((double)x.Count * y.Count);
    }

    /// <summary>Numbers in numeric order (depth 4 before 16), then text in ordinal order.</summary>
    internal sealed class GroupOrder : IComparer<string>
    {
        public static readonly GroupOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            bool xNumber = double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var a);
            bool yNumber = double.TryParse(y, NumberStyles.Float, CultureInfo.InvariantCulture, out var b);
            return (xNumber, yNumber) switch
            {
                (true, true) => a != b ? a.CompareTo(b) : string.CompareOrdinal(x, y),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(x, y),
            };
        }
    }
}

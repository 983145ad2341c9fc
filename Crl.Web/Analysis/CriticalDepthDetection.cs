namespace Crl.Web.Analysis;

/// <summary>
/// One run for the critical-depth search: its task, the values of the other grid axes as one opaque key (width,
/// batch, …: the caller decides what counts as the same series), its depth, seed and score.
/// </summary>
public sealed record DepthRun(string Task, string OtherAxes, int Depth, long Seed, double Score);

/// <summary>One depth of a series: how many runs, and the mean score over seeds with its bootstrap interval.</summary>
public sealed record DepthMean(int Depth, int Runs, Estimate Mean);

/// <summary>
/// A series' depths in ascending order and its critical depth: the smallest depth whose mean beats the previous
/// depth's by more than the threshold with the two intervals apart; null when no depth does ("none found").
/// <see cref="Jump"/> is that depth's mean minus the previous depth's.
/// </summary>
public sealed record CriticalDepth(string Task, string OtherAxes, IReadOnlyList<DepthMean> Depths, int? Depth, double? Jump);

/// <summary>
/// Finds where performance jumps with depth (Wang et al. 2025: a task-specific critical depth, e.g. 8 on one ant
/// maze, 64 on the humanoid maze). A jump must be both large (more than <c>threshold</c> in score units, so noise
/// in a big sample does not count) and clear (the percentile bootstrap intervals of the two means do not overlap,
/// so one lucky seed in a small sample does not count).
/// </summary>
public static class CriticalDepthDetection
{
    /// <summary>A jump threshold is a finite score difference ≥ 0.</summary>
    public static bool AllowsThreshold(double threshold) => double.IsFinite(threshold) && threshold >= 0;

    public static IReadOnlyList<CriticalDepth> Detect(IEnumerable<DepthRun> runs, double threshold, BootstrapSettings? settings = null)
    {
        settings ??= BootstrapSettings.Default;
        settings.Validate();
        if (!AllowsThreshold(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the jump threshold is a score difference ≥ 0");
        var list = runs.ToList();
        foreach (var run in list)
        {
            ArgumentNullException.ThrowIfNull(run);
            if (run.Task is null || run.OtherAxes is null) throw new ArgumentException("every run needs a task and an other-axes key", nameof(runs));
            if (!double.IsFinite(run.Score)) throw new ArgumentException($"run (task {run.Task}, {run.OtherAxes}, depth {run.Depth}, seed {run.Seed}) has no finite score", nameof(runs));
        }

        var series = list
            .GroupBy(r => (r.Task, r.OtherAxes))
            .OrderBy(s => s.Key.Task, StringComparer.Ordinal).ThenBy(s => s.Key.OtherAxes, StringComparer.Ordinal)
            .ToList();
        var result = new CriticalDepth[series.Count];
        Parallel.For(0, series.Count, i =>
        {
            var (task, otherAxes) = series[i].Key;
            var depths = series[i]
                .GroupBy(r => r.Depth)
                .OrderBy(d => d.Key)
                .Select(d => new DepthMean(d.Key, d.Count(), MeanWithInterval(task, otherAxes, d, settings)))
                .ToList();
            result[i] = Find(task, otherAxes, depths, threshold);
        });
        return result;
    }

    private static CriticalDepth Find(string task, string otherAxes, List<DepthMean> depths, double threshold)
    {
        for (int d = 1; d < depths.Count; d++)
        {
            var previous = depths[d - 1].Mean;
            var current = depths[d].Mean;
            double jump = current.Value - previous.Value;
            if (jump > threshold && !current.Overlaps(previous)) return new CriticalDepth(task, otherAxes, depths, depths[d].Depth, jump);
        }
        return new CriticalDepth(task, otherAxes, depths, null, null);
    }

    /// <summary>One depth is one task with its seeds: the stratified bootstrap's mean reduces to the plain bootstrap of the mean.</summary>
    private static Estimate MeanWithInterval(string task, string otherAxes, IEnumerable<DepthRun> runs, BootstrapSettings settings)
    {
        var scores = runs.OrderBy(r => r.Seed).ThenBy(r => r.Score).Select(r => r.Score).ToArray();
        var sample = new GroupSample([scores], gamma: 0, thresholds: []);
        var stream = StratifiedBootstrap.Stream(settings.RandomSeed, "depth", task, otherAxes, runs.First().Depth.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return StratifiedBootstrap.MeanEstimate(sample, settings, stream);
    }
}

using Crl.Core.Sampling;

namespace Crl.Web.Analysis;

/// <summary>
/// The stratified bootstrap (Agarwal et al. 2021; rliable's StratifiedBootstrap without task resampling): each
/// resample draws, for every task separately, as many runs as the task has, with replacement, from that task's
/// runs only. Intervals are percentile intervals (numpy's linear interpolation between closest ranks).
/// </summary>
internal static class StratifiedBootstrap
{
    /// <summary>
    /// Point estimates and intervals of every statistic <paramref name="sample"/> computes. All statistics come from
    /// the same resamples: each interval on its own is a valid marginal interval, and one pass is 4 + τ times cheaper.
    /// </summary>
    public static Estimate[] Estimates(GroupSample sample, BootstrapSettings settings, ulong stream)
    {
        int statistics = sample.StatisticCount, resamples = settings.Resamples;
        var point = new double[statistics];
        sample.PointEstimates(point);

        var draws = new double[statistics * resamples];   // statistic-major, so each statistic's draws sort in place
        var row = new double[statistics];
        var random = new Xoshiro256(stream);
        for (int b = 0; b < resamples; b++)
        {
            sample.Resample(ref random, row);
            for (int s = 0; s < statistics; s++) draws[s * resamples + b] = row[s];
        }

        var estimates = new Estimate[statistics];
        for (int s = 0; s < statistics; s++)
        {
            var column = draws.AsSpan(s * resamples, resamples);
            column.Sort();
            estimates[s] = Interval(point[s], column, settings.Confidence);
        }
        return estimates;
    }

    /// <summary>
    /// The mean's estimate alone: the same resamples and the same interval as <see cref="Estimates"/>' mean, without
    /// the other statistics' work, for callers that show only means (critical depths).
    /// </summary>
    public static Estimate MeanEstimate(GroupSample sample, BootstrapSettings settings, ulong stream)
    {
        var point = new double[sample.StatisticCount];
        sample.PointEstimates(point);
        var draws = new double[settings.Resamples];
        var random = new Xoshiro256(stream);
        for (int b = 0; b < draws.Length; b++) draws[b] = sample.ResampleMean(ref random);
        Array.Sort(draws);
        return Interval(point[GroupSample.MeanIndex], draws, settings.Confidence);
    }

    public static Estimate Estimate(ImprovementSample sample, BootstrapSettings settings, ulong stream)
    {
        var draws = new double[settings.Resamples];
        var random = new Xoshiro256(stream);
        for (int b = 0; b < draws.Length; b++) draws[b] = sample.Resample(ref random);
        Array.Sort(draws);
        return Interval(sample.PointEstimate(), draws, settings.Confidence);
    }

    private static Estimate Interval(double point, ReadOnlySpan<double> sortedDraws, double confidence)
    {
        double tail = (1 - confidence) / 2;
        return new Estimate(point, Percentile(sortedDraws, tail), Percentile(sortedDraws, 1 - tail));
    }

    /// <summary>Linear interpolation between the closest ranks (numpy's default), on an ascending span.</summary>
    public static double Percentile(ReadOnlySpan<double> sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /// <summary>
    /// A generator seed for one named stream (a group, a pair of groups, a depth) under the user's seed. Naming the
    /// stream by its keys rather than its index keeps a group's interval the same when other groups join or leave,
    /// and lets groups run on any thread. FNV-1a, not string.GetHashCode, which differs from process to process.
    /// </summary>
    public static ulong Stream(ulong randomSeed, params ReadOnlySpan<string> keys)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (var key in keys)
        {
            foreach (char c in key) hash = (hash ^ c) * 0x100000001B3UL;
            hash = (hash ^ 0xFFFF) * 0x100000001B3UL;   // a separator no char equals, so ("ab","c") ≠ ("a","bc")
        }
        // Spread the user's seed over all bits before mixing, so seeds 0 and 1 give unrelated streams.
        ulong seed = randomSeed * 0x9E3779B97F4A7C15UL;
        seed ^= seed >> 29;
        return hash ^ seed;
    }
}

/// <summary>
/// One group's runs, ready to be resampled without allocating: its scores pooled over tasks and sorted once, and for
/// each task the positions of its runs in that sorted order. A resample is then a count per position, so the
/// trimmed mean and the profile need one linear pass instead of a sort per resample.
/// </summary>
internal sealed class GroupSample
{
    public const int MeanIndex = 0, MedianIndex = 1, IqmIndex = 2, GapIndex = 3, ProfileStart = 4;

    private readonly double[] sorted;
    private readonly int[][] taskPositions;
    private readonly int[] profileCuts;     // per τ: the first sorted position whose score exceeds τ
    private readonly double gamma;
    private readonly int trim;              // runs cut from each end for the IQM

    // Reused by every resample.
    private readonly int[] counts;
    private readonly int[] countBelow;      // countBelow[p] = resampled runs at sorted positions before p
    private readonly double[] taskMeans;
    private readonly double[] medianScratch;

    /// <param name="taskScores">each task's scores, in an order that does not depend on how the runs arrived.</param>
    public GroupSample(IReadOnlyList<double[]> taskScores, double gamma, IReadOnlyList<double> thresholds)
    {
        if (taskScores.Count == 0 || taskScores.Any(t => t.Length == 0)) throw new ArgumentException("every task needs a run", nameof(taskScores));
        int n = taskScores.Sum(t => t.Length);
        sorted = new double[n];
        var owner = new (int Task, int Index)[n];
        int k = 0;
        for (int t = 0; t < taskScores.Count; t++)
            for (int i = 0; i < taskScores[t].Length; i++) { sorted[k] = taskScores[t][i]; owner[k++] = (t, i); }
        Array.Sort(sorted, owner);

        taskPositions = taskScores.Select(t => new int[t.Length]).ToArray();
        for (int p = 0; p < n; p++) taskPositions[owner[p].Task][owner[p].Index] = p;

        profileCuts = thresholds.Select(UpperBound).ToArray();
        this.gamma = gamma;
        trim = AggregateStatistics.IqmTrim(n);
        counts = new int[n];
        countBelow = new int[n + 1];
        taskMeans = new double[taskScores.Count];
        medianScratch = new double[taskScores.Count];
    }

    public int Runs => sorted.Length;
    public int Tasks => taskPositions.Length;
    public int StatisticCount => ProfileStart + profileCuts.Length;

    /// <summary>The statistics of the runs as they are: every run counted once.</summary>
    public void PointEstimates(Span<double> output)
    {
        counts.AsSpan().Fill(1);
        for (int t = 0; t < taskPositions.Length; t++)
        {
            double sum = 0;
            foreach (int p in taskPositions[t]) sum += sorted[p];
            taskMeans[t] = sum / taskPositions[t].Length;
        }
        Evaluate(output);
    }

    public void Resample(ref Xoshiro256 random, Span<double> output)
    {
        Array.Clear(counts);
        for (int t = 0; t < taskPositions.Length; t++)
        {
            var positions = taskPositions[t];
            double sum = 0;
            for (int j = 0; j < positions.Length; j++)
            {
                int p = positions[random.NextInt(positions.Length)];
                counts[p]++;
                sum += sorted[p];
            }
            taskMeans[t] = sum / positions.Length;
        }
        Evaluate(output);
    }

    /// <summary>The mean of one resample: the same draws, and the same sums in the same order, as <see cref="Resample"/>.</summary>
    public double ResampleMean(ref Xoshiro256 random)
    {
        double meanOfTasks = 0;
        for (int t = 0; t < taskPositions.Length; t++)
        {
            var positions = taskPositions[t];
            double sum = 0;
            for (int j = 0; j < positions.Length; j++) sum += sorted[positions[random.NextInt(positions.Length)]];
            meanOfTasks += sum / positions.Length;
        }
        return meanOfTasks / taskPositions.Length;
    }

    private void Evaluate(Span<double> output)
    {
        double meanOfTasks = 0;
        foreach (var m in taskMeans) meanOfTasks += m;
        output[MeanIndex] = meanOfTasks / taskMeans.Length;

        taskMeans.CopyTo(medianScratch, 0);
        output[MedianIndex] = AggregateStatistics.Median(medianScratch);

        // One pass in score order: the runs at sorted positions [trim, n − trim) of the resample make the IQM.
        int n = sorted.Length, keepFrom = trim, keepTo = n - trim, position = 0;
        double kept = 0, gap = 0;
        for (int p = 0; p < n; p++)
        {
            countBelow[p] = position;
            int c = counts[p];
            if (c == 0) continue;
            int inside = Math.Min(position + c, keepTo) - Math.Max(position, keepFrom);
            if (inside > 0) kept += inside * sorted[p];
            if (sorted[p] < gamma) gap += c * (gamma - sorted[p]);
            position += c;
        }
        countBelow[n] = position;
        output[IqmIndex] = kept / (keepTo - keepFrom);
        output[GapIndex] = gap / n;
        for (int i = 0; i < profileCuts.Length; i++)
            output[ProfileStart + i] = (double)(n - countBelow[profileCuts[i]]) / n;
    }

    private int UpperBound(double threshold)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] > threshold) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}

/// <summary>
/// Two groups' runs on the tasks they share, for P(X &gt; Y). Per task the scores of both are mapped to their distinct
/// values in ascending order, so a resample is two counts per value and Σᵢ Σⱼ S(xᵢ, yⱼ) one pass over the values
/// (m + n work, not m · n). X and Y are resampled independently, each within each task (rliable's
/// StratifiedIndependentBootstrap).
/// </summary>
internal sealed class ImprovementSample
{
    private readonly int[][] xValues, yValues;   // per task: each run's index among the task's distinct values
    private readonly int[] distinct;              // per task: how many distinct values
    private readonly int[] xCounts, yCounts;

    public ImprovementSample(IReadOnlyList<(double[] X, double[] Y)> tasks)
    {
        if (tasks.Count == 0 || tasks.Any(t => t.X.Length == 0 || t.Y.Length == 0)) throw new ArgumentException("every task needs runs of both groups", nameof(tasks));
        xValues = new int[tasks.Count][];
        yValues = new int[tasks.Count][];
        distinct = new int[tasks.Count];
        for (int t = 0; t < tasks.Count; t++)
        {
            var values = tasks[t].X.Concat(tasks[t].Y).Distinct().Order().ToArray();
            distinct[t] = values.Length;
            xValues[t] = tasks[t].X.Select(v => Array.BinarySearch(values, v)).ToArray();
            yValues[t] = tasks[t].Y.Select(v => Array.BinarySearch(values, v)).ToArray();
        }
        xCounts = new int[distinct.Max()];
        yCounts = new int[distinct.Max()];
    }

    public int Tasks => distinct.Length;

    public double PointEstimate()
    {
        double sum = 0;
        for (int t = 0; t < distinct.Length; t++)
        {
            Array.Clear(xCounts); Array.Clear(yCounts);
            foreach (int v in xValues[t]) xCounts[v]++;
            foreach (int v in yValues[t]) yCounts[v]++;
            sum += TaskProbability(t);
        }
        return sum / distinct.Length;
    }

    public double Resample(ref Xoshiro256 random)
    {
        double sum = 0;
        for (int t = 0; t < distinct.Length; t++)
        {
            xCounts.AsSpan(0, distinct[t]).Clear();
            yCounts.AsSpan(0, distinct[t]).Clear();
            var x = xValues[t];
            var y = yValues[t];
            for (int i = 0; i < x.Length; i++) xCounts[x[random.NextInt(x.Length)]]++;
            for (int j = 0; j < y.Length; j++) yCounts[y[random.NextInt(y.Length)]]++;
            sum += TaskProbability(t);
        }
        return sum / distinct.Length;
    }

    /// <summary>(1/(m·n)) Σᵢ Σⱼ S(xᵢ, yⱼ): each x beats the y below it and ties the y equal to it for one half.</summary>
    private double TaskProbability(int t)
    {
        double wins = 0;
        long yBelow = 0;
        for (int v = 0; v < distinct[t]; v++)
        {
            if (xCounts[v] != 0) wins += xCounts[v] * (yBelow + 0.5 * yCounts[v]);
            yBelow += yCounts[v];
        }
        return wins / ((double)xValues[t].Length * yValues[t].Length);
    }
}

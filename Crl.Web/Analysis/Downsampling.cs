namespace Crl.Web.Analysis;

/// <summary>
/// Curves reach the browser with at most about <see cref="MaxPoints"/> points: the x range is cut into buckets and
/// each bucket keeps its first point and its minimum and maximum, so spikes (a diverging loss, a sudden jump in time
/// at goal) survive where averaging would flatten them.
/// </summary>
public static class Downsampling
{
    public const int MaxPoints = 2000;

    /// <remarks>
    /// Buckets hold a power-of-two number of points, counted from the first: as a live curve grows, every full bucket
    /// keeps the same points, so only the last bucket's few points change and the chart can send just those. The
    /// bucket size doubles (and everything is re-sent) only when the curve's length doubles.
    /// </remarks>
    public static (double[] X, double[] Y) MinMax(IReadOnlyList<double> x, IReadOnlyList<double> y, int maxPoints = MaxPoints)
    {
        if (x.Count <= maxPoints) return ([.. x], [.. y]);
        var buckets = Math.Max(1, maxPoints / 3);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)((x.Count + buckets - 1) / buckets));
        var keep = new SortedSet<int>();
        for (int start = 0; start < x.Count; start += size)
        {
            int end = Math.Min(x.Count, start + size);
            int min = start, max = start;
            for (int i = start + 1; i < end; i++)
            {
                if (y[i] < y[min]) min = i;
                if (y[i] > y[max]) max = i;
            }
            keep.Add(start);
            keep.Add(min);
            keep.Add(max);
        }
        keep.Add(x.Count - 1);
        return ([.. keep.Select(i => x[i])], [.. keep.Select(i => y[i])]);
    }

    /// <summary>Exponential moving average as TensorBoard and W&amp;B draw it (debiased), weight in [0, 1).</summary>
    public static double[] Smooth(IReadOnlyList<double> y, double weight)
    {
        if (weight <= 0) return [.. y];
        var result = new double[y.Count];
        double last = 0;
        for (int i = 0; i < y.Count; i++)
        {
            last = last * weight + (1 - weight) * y[i];
            result[i] = last / (1 - Math.Pow(weight, i + 1));
        }
        return result;
    }
}

namespace Crl.Web.Analysis;

/// <summary>The spread of a result across seeds, as the scaling and compare charts draw it.</summary>
public static class SeedStatistics
{
    public const int BootstrapResamples = 2000;

    /// <summary>Sample standard deviation (n − 1) over √n; one seed has no spread to show.</summary>
    public static double StandardError(IReadOnlyList<double> values, double mean) =>
        values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) / Math.Sqrt(values.Count);

    /// <summary>Percentile bootstrap of the mean: resample the seeds with replacement, keep the middle 95 % of the means.</summary>
    public static (double Lower, double Upper) BootstrapInterval95(IReadOnlyList<double> values, Random random)
    {
        if (values.Count < 2) return (values[0], values[0]);
        var means = new double[BootstrapResamples];
        for (int b = 0; b < means.Length; b++)
        {
            double sum = 0;
            for (int i = 0; i < values.Count; i++) sum += values[random.Next(values.Count)];
            means[b] = sum / values.Count;
        }
        Array.Sort(means);
        return (Percentile(means, 0.025), Percentile(means, 0.975));
    }

    /// <summary>Linear interpolation between the closest ranks.</summary>
    private static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}

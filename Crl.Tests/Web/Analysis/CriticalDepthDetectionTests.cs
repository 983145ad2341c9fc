using Crl.Core.Sampling;
using Crl.Web.Analysis;
using Xunit;

namespace Crl.Tests.Web.Analysis;

public class CriticalDepthDetectionTests
{
    private static readonly BootstrapSettings Quick = new(Resamples: 1000, RandomSeed: 5);

    /// <summary>Ten seeds per depth around the given means, with uniform noise of ± <paramref name="noise"/>.</summary>
    private static IEnumerable<DepthRun> Synthetic(string task, string otherAxes, double noise, params (int Depth, double Mean)[] depths)
    {
        var random = new Xoshiro256(42);
        foreach (var (depth, mean) in depths)
            for (int seed = 0; seed < 10; seed++)
                yield return new DepthRun(task, otherAxes, depth, seed, mean + random.NextDouble(-noise, noise));
    }

    [Fact]
    public void Finds_the_known_jump()
    {
        // Flat at 10–11 up to depth 8, 50 from depth 16 on: the jump is at 16 whatever the noise draws.
        var runs = Synthetic("ant_big_maze", "width 256", 1, (4, 10), (8, 11), (16, 50), (32, 52), (64, 53));
        var series = Assert.Single(CriticalDepthDetection.Detect(runs, threshold: 5, Quick));

        Assert.Equal(("ant_big_maze", "width 256"), (series.Task, series.OtherAxes));
        Assert.Equal(16, series.Depth);
        Assert.Equal([4, 8, 16, 32, 64], series.Depths.Select(d => d.Depth));
        Assert.All(series.Depths, d => Assert.Equal(10, d.Runs));
        Assert.Equal(series.Depths[2].Mean.Value - series.Depths[1].Mean.Value, series.Jump!.Value, 12);
        Assert.InRange(series.Jump!.Value, 37, 41);
        Assert.False(series.Depths[2].Mean.Overlaps(series.Depths[1].Mean));
    }

    [Fact]
    public void A_steady_climb_has_no_critical_depth()
    {
        var runs = Synthetic("point_u_maze", "", 1, (4, 10), (8, 12), (16, 14), (32, 16));
        var series = Assert.Single(CriticalDepthDetection.Detect(runs, threshold: 5, Quick));
        Assert.Null(series.Depth);
        Assert.Null(series.Jump);
        Assert.Equal(4, series.Depths.Count);
    }

    [Fact]
    public void A_clear_jump_within_the_threshold_is_not_critical_and_is_once_the_threshold_drops_below_it()
    {
        // Depth 8 sits 3 above depth 4 with noise ± 0.1: the intervals are far apart, but 3 is not more than 5.
        var runs = Synthetic("humanoid", "", 0.1, (4, 10), (8, 13), (16, 14)).ToList();
        var strict = Assert.Single(CriticalDepthDetection.Detect(runs, threshold: 5, Quick));
        Assert.Null(strict.Depth);
        Assert.False(strict.Depths[1].Mean.Overlaps(strict.Depths[0].Mean));

        var lenient = Assert.Single(CriticalDepthDetection.Detect(runs, threshold: 2, Quick));
        Assert.Equal(8, lenient.Depth);
    }

    [Fact]
    public void A_large_jump_with_overlapping_intervals_is_not_critical()
    {
        // Means 50 → 66.7 (a jump of 16.7 over a threshold of 10), but seeds at 0 and 100 make both intervals span
        // nearly everything: one lucky seed is not a critical depth.
        var runs = new[]
        {
            new DepthRun("ant", "", 4, 1, 0), new DepthRun("ant", "", 4, 2, 100),
            new DepthRun("ant", "", 8, 1, 0), new DepthRun("ant", "", 8, 2, 100), new DepthRun("ant", "", 8, 3, 100),
        };
        var series = Assert.Single(CriticalDepthDetection.Detect(runs, threshold: 10, Quick));
        Assert.Equal(100.0 / 1.5 - 50, series.Depths[1].Mean.Value - series.Depths[0].Mean.Value, 9);
        Assert.True(series.Depths[1].Mean.Overlaps(series.Depths[0].Mean));
        Assert.Null(series.Depth);
    }

    [Fact]
    public void Each_task_and_other_axes_combination_is_its_own_series_compared_between_the_depths_it_has()
    {
        var runs = Synthetic("ant", "batch 256", 0.5, (4, 1), (8, 20), (16, 21))
            .Concat(Synthetic("ant", "batch 512", 0.5, (4, 1), (8, 2), (32, 40)))      // no 16: 32 is compared with 8
            .Concat(Synthetic("humanoid", "batch 256", 0.5, (16, 5), (64, 30)));
        var found = CriticalDepthDetection.Detect(runs.Reverse(), threshold: 5, Quick);

        Assert.Equal([("ant", "batch 256", (int?)8), ("ant", "batch 512", 32), ("humanoid", "batch 256", 64)],
            found.Select(s => (s.Task, s.OtherAxes, s.Depth)));
    }

    [Fact]
    public void The_same_seed_gives_the_same_intervals()
    {
        var runs = Synthetic("ant", "", 3, (4, 10), (8, 12)).ToList();
        var a = CriticalDepthDetection.Detect(runs, 1, Quick).Single().Depths.Select(d => d.Mean);
        var b = CriticalDepthDetection.Detect(runs, 1, Quick).Single().Depths.Select(d => d.Mean);
        var c = CriticalDepthDetection.Detect(runs, 1, Quick with { RandomSeed = 6 }).Single().Depths.Select(d => d.Mean);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, m => Assert.InRange(m.Value, m.Lower, m.Upper));
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CriticalDepthDetection.Detect([], threshold: -1));
        Assert.Throws<ArgumentException>(() => CriticalDepthDetection.Detect([new DepthRun("t", "", 4, 1, double.PositiveInfinity)], 1));
        Assert.Empty(CriticalDepthDetection.Detect([], 1));
    }
}

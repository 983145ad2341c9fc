using Crl.Web.Analysis;
using Xunit;

namespace Crl.Tests.Web;

public class DownsamplingTests
{
    private static (double[] X, double[] Y) Curve(int n) =>
        ([.. Enumerable.Range(0, n).Select(i => i * 1000.0)], [.. Enumerable.Range(0, n).Select(i => Math.Sin(i / 50.0) + (i == 7_777 ? 100 : 0))]);

    [Fact]
    public void A_long_curve_is_cut_to_about_two_thousand_points_keeping_its_ends_and_its_spike()
    {
        var (x, y) = Curve(20_000);

        var (dx, dy) = Downsampling.MinMax(x, y);

        Assert.InRange(dx.Length, 1000, Downsampling.MaxPoints + 1);
        Assert.Equal(0, dx[0]);
        Assert.Equal(19_999_000, dx[^1]);
        Assert.Equal(y.Max(), dy.Max());              // the spike at 7,777 survives
        Assert.Equal(dx.Order(), dx);
    }

    [Fact]
    public void A_growing_curve_changes_only_at_its_end_so_charts_send_just_that()
    {
        var (x, y) = Curve(10_001);

        var before = Downsampling.MinMax(x[..10_000], y[..10_000]);
        var after = Downsampling.MinMax(x, y);

        int same = 0;
        while (same < before.X.Length && before.X[same] == after.X[same] && before.Y[same] == after.Y[same]) same++;
        Assert.True(same >= before.X.Length - 4, $"{same} of {before.X.Length} points unchanged");
        Assert.Equal(10_000_000, after.X[^1]);
    }

    [Fact]
    public void Short_curves_are_drawn_as_they_are()
    {
        var (x, y) = Curve(300);

        var (dx, dy) = Downsampling.MinMax(x, y);

        Assert.Equal(x, dx);
        Assert.Equal(y, dy);
    }
}

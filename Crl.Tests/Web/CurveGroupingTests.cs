using Crl.Jobs.Persistence.Model;
using Crl.Web.Services;
using Xunit;

namespace Crl.Tests.Web;

public class CurveGroupingTests
{
    private static Run Run(long id, int depth, long seed) =>
        new() { Id = id, Env = "point_u_maze", ActorDepth = depth, CriticDepth = depth, ActorWidth = 256, BatchSize = 256, Seed = seed, ConfigJson = "{}" };

    [Fact]
    public void Seeds_of_a_depth_average_step_by_step_with_a_standard_error_band_over_common_steps()
    {
        var curves = new List<(Run, IReadOnlyList<long>, IReadOnlyList<double>)>
        {
            (Run(1, 4, 1), [0, 100, 200], [0, 10, 20]),
            (Run(2, 4, 2), [0, 100, 200, 300], [0, 30, 40, 50]),
            (Run(3, 16, 1), [0, 100], [5, 90]),
        };

        var groups = CurveGrouping.Group(curves, GroupField.ActorDepth);

        Assert.Equal(["actor depth 16", "actor depth 4"], groups.Select(g => g.Label));
        var depth4 = groups[1];
        Assert.Equal(2, depth4.Runs);
        Assert.Equal([0.0, 100, 200], depth4.Steps);            // step 300 is logged by one seed only
        Assert.Equal([0.0, 20, 30], depth4.Mean);
        Assert.Equal([0.0, 10, 10], depth4.StandardError.Select(e => Math.Round(e, 9)));   // sd √200 over √2 seeds
        Assert.Equal([0.0, 0], groups[0].StandardError);
    }

    [Fact]
    public void Without_grouping_every_run_is_its_own_line()
    {
        var curves = new List<(Run, IReadOnlyList<long>, IReadOnlyList<double>)> { (Run(1, 4, 1), [0], [1]), (Run(2, 4, 2), [0], [3]) };

        Assert.Equal(2, CurveGrouping.Group(curves, GroupField.None).Count);
    }
}

using Crl.Jobs.Persistence.Model;
using Crl.Web.Analysis;
using Xunit;

namespace Crl.Tests.Web;

public class CurveGroupingTests
{
    private static Run Run(long id, int depth, long seed, double actorLr = 3e-4) => new()
    {
        Id = id, Env = "point_u_maze", ActorDepth = depth, CriticDepth = depth, ActorWidth = 256, BatchSize = 256, Seed = seed,
        ConfigJson = $$"""{"env":"point_u_maze","actorDepth":{{depth}},"criticDepth":{{depth}},"seed":{{seed}},"actorLr":{{actorLr}}}""",
    };

    [Fact]
    public void Seeds_of_a_depth_average_step_by_step_with_a_standard_error_band_over_common_steps()
    {
        var curves = new List<RunCurve>
        {
            new(Run(1, 4, 1), [0, 100, 200], [0, 10, 20]),
            new(Run(2, 4, 2), [0, 100, 200, 300], [0, 30, 40, 50]),
            new(Run(3, 16, 1), [0, 100], [5, 90]),
        };

        var groups = CurveGrouping.Group(curves, "actorDepth", CurveBand.StandardError);

        Assert.Equal(["actorDepth = 4", "actorDepth = 16"], groups.Select(g => g.Label));   // numeric order
        var depth4 = groups[0];
        Assert.Equal(2, depth4.Runs);
        Assert.Equal([0.0, 100, 200], depth4.Steps);            // step 300 is logged by one seed only
        Assert.Equal([0.0, 20, 30], depth4.Mean);
        Assert.Equal([0.0, 10, 20], depth4.Lower.Select(e => Math.Round(e, 9)));   // sd √200 over √2 seeds = 10
        Assert.Equal([0.0, 30, 40], depth4.Upper.Select(e => Math.Round(e, 9)));
        Assert.Equal(groups[1].Mean, groups[1].Lower);
    }

    [Fact]
    public void A_bootstrap_band_lies_within_the_seeds_range_and_is_the_same_every_time()
    {
        var curves = Enumerable.Range(1, 5).Select(seed => new RunCurve(Run(seed, 4, seed), [0, 100], [0, seed * 10.0])).ToList();

        var first = CurveGrouping.Group(curves, "actorDepth", CurveBand.Bootstrap95).Single();
        var again = CurveGrouping.Group(curves, "actorDepth", CurveBand.Bootstrap95).Single();

        Assert.Equal(30, first.Mean[1]);
        Assert.InRange(first.Lower[1], 10, 29);   // the mean of 10..50 resampled: well inside the seeds' range
        Assert.InRange(first.Upper[1], 31, 50);
        Assert.Equal(0, first.Lower[0]);
        Assert.Equal(first.Lower, again.Lower);
        Assert.Equal(first.Upper, again.Upper);
    }

    [Fact]
    public void Any_config_field_groups_and_the_fields_that_differ_are_offered_first()
    {
        Run[] runs = [Run(1, 4, 1, actorLr: 1e-4), Run(2, 4, 2, actorLr: 3e-4), Run(3, 4, 3, actorLr: 3e-4)];

        var fields = CurveGrouping.Fields(runs);
        Assert.Equal(["seed", "actorLr"], fields.Varying);
        Assert.Equal(["seed", "actorLr", "env", "actorDepth", "criticDepth"], fields.All);
        var byLr = CurveGrouping.Group([.. runs.Select(r => new RunCurve(r, [0], [r.Seed]))], "actorLr", CurveBand.StandardError);
        Assert.Equal(["actorLr = 0.0001", "actorLr = 0.0003"], byLr.Select(g => g.Label));
        Assert.Equal([1, 2], byLr.Select(g => g.Runs));
        Assert.Equal(2.5, byLr[1].Mean[0]);
    }

    [Fact]
    public void Without_grouping_every_run_is_its_own_line()
    {
        var curves = new List<RunCurve> { new(Run(1, 4, 1), [0], [1]), new(Run(2, 4, 2), [0], [3]) };

        Assert.Equal(2, CurveGrouping.Group(curves, null, CurveBand.StandardError).Count);
    }
}

using Crl.Jobs.Persistence;
using Crl.Jobs.Sweeps;
using Xunit;

namespace Crl.Tests.Jobs;

public class SweepPlannerTests
{
    private static SweepRequest Valid() => new()
    {
        Name = "depth-u-maze",
        Envs = ["point_u_maze"],
        Depths = [4, 16],
        Widths = [256],
        BatchSizes = [256],
        Seeds = [1, 2, 3],
        Settings = QuickSweep.Settings(new { totalEnvSteps = 2_000_000 }),
    };

    [Fact]
    public void The_grid_expands_into_one_run_per_cell_with_the_fixed_settings_applied()
    {
        var plan = SweepPlanner.Plan(Valid());

        Assert.Equal(6, plan.Runs.Count);
        Assert.Equal([4, 4, 4, 16, 16, 16], plan.Runs.Select(r => r.Config.ActorDepth));
        Assert.All(plan.Runs, r => Assert.Equal(r.Config.ActorDepth, r.Config.CriticDepth));
        Assert.Equal([1L, 2, 3, 1, 2, 3], plan.Runs.Select(r => r.Config.Seed));
        Assert.All(plan.Runs, r => Assert.Equal(2_000_000, r.Config.TotalEnvSteps));
        Assert.All(plan.Runs, r => Assert.Equal(512, r.Config.NumEnvs)); // untouched knobs keep the paper's defaults
        Assert.True(plan.Runs[3].Sizes.Total > plan.Runs[0].Sizes.Total);
    }

    [Fact]
    public void Separate_actor_and_critic_depths_form_their_product()
    {
        var plan = SweepPlanner.Plan(Valid() with { Depths = null, ActorDepths = [4, 8], CriticDepths = [4, 16, 64], Seeds = [1] });

        Assert.Equal(6, plan.Runs.Count);
        Assert.Contains(plan.Runs, r => r.Config is { ActorDepth: 8, CriticDepth: 64 });
    }

    [Fact]
    public void Every_bad_field_is_named_with_its_allowed_range()
    {
        var request = Valid() with
        {
            Name = "",
            Envs = ["point_u_maze", "moon_maze"],
            Depths = [4, 6, 2048],
            Widths = [8],
            BatchSizes = [100_000],
            Seeds = [],
            Settings = QuickSweep.Settings(new { totalEnvSteps = "lots", gamma = 2.0, learningRate = 1, seed = 3 }),
        };

        var errors = Assert.Throws<SweepRejected>(() => SweepPlanner.Plan(request)).Errors;

        Assert.Equal("name is required", Assert.Single(errors["name"]));
        Assert.StartsWith("'moon_maze' is not an environment", Assert.Single(errors["envs[1]"]));
        Assert.Equal("depth must be a multiple of 4 in [4, 1024]; got 6", Assert.Single(errors["depths[1]"]));
        Assert.Equal("depth must be a multiple of 4 in [4, 1024]; got 2048", Assert.Single(errors["depths[2]"]));
        Assert.Equal("width must be in [16, 8192]; got 8", Assert.Single(errors["widths[0]"]));
        Assert.Equal("batch size must be in [16, 65536]; got 100000", Assert.Single(errors["batchSizes[0]"]));
        Assert.Equal("seeds must list at least one seed", Assert.Single(errors["seeds"]));
        Assert.Equal("totalEnvSteps must be an integer ≥ 1; got \"lots\"", Assert.Single(errors["totalEnvSteps"]));
        Assert.StartsWith("'learningRate' is not a trainer setting", Assert.Single(errors["learningRate"]));
        Assert.StartsWith("'seed' is a grid axis", Assert.Single(errors["seed"]));
    }

    [Fact]
    public void A_run_level_rule_is_reported_under_its_setting()
    {
        var request = Valid() with { Settings = QuickSweep.Settings(new { totalEnvSteps = 1000, gamma = 2.0 }) };

        var errors = Assert.Throws<SweepRejected>(() => SweepPlanner.Plan(request)).Errors;

        Assert.Contains("gamma", errors.Keys);
        Assert.StartsWith("Gamma (--gamma) must be in", Assert.Single(errors["gamma"]));
    }

    [Fact]
    public void More_than_ten_thousand_runs_is_refused_before_any_run_is_built()
    {
        var request = Valid() with { Seeds = [.. Enumerable.Range(0, 2000).Select(i => (long)i)], Depths = [4, 8, 12, 16, 20, 24] };

        var errors = Assert.Throws<SweepRejected>(() => SweepPlanner.Plan(request)).Errors;

        Assert.Equal("a sweep may hold at most 10,000 runs; this grid has 12,000", Assert.Single(errors["runs"]));
    }

    [Fact]
    public void The_request_round_trips_through_json_with_its_settings()
    {
        var json = StoredConfig.WriteSpec(Valid());
        var back = StoredConfig.ReadSpec<SweepRequest>(json);

        Assert.Contains("\"totalEnvSteps\":2000000", json);
        Assert.Equal(SweepPlanner.Plan(Valid()).Runs.Select(r => r.Config), SweepPlanner.Plan(back).Runs.Select(r => r.Config));
    }
}

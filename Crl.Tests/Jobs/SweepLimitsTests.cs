using Crl.Jobs.Configuration;
using Crl.Jobs.Sweeps;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>Crl:Limits: the default limits admit every run the paper made and refuse what no single GPU could hold.</summary>
public class SweepLimitsTests
{
    private static readonly LimitOptions Defaults = new();

    private static SweepRequest Sweep(int depth, int width, int batch = 256, long envSteps = 100_000_000, int seeds = 1, string env = "humanoid_u_maze") => new()
    {
        Name = "limits", Envs = [env], Depths = [depth], Widths = [width], BatchSizes = [batch],
        Seeds = [.. Enumerable.Range(1, seeds).Select(i => (long)i)],
        Settings = QuickSweep.Settings(new { totalEnvSteps = envSteps }),
    };

    [Theory]
    [InlineData(1024, 256, 256, 400_000_000)] // the deepest networks, on the longest budget
    [InlineData(1024, 256, 2048, 400_000_000)] // and with the largest batch
    [InlineData(4, 4096, 2048, 400_000_000)] // the widest
    [InlineData(64, 256, 512, 100_000_000)] // the paper's Table 1
    public void Every_run_the_paper_made_is_within_the_default_limits(int depth, int width, int batch, long envSteps)
    {
        var plan = SweepPlanner.Plan(Sweep(depth, width, batch, envSteps, seeds: 5));

        Assert.Empty(SweepLimits.Exceeded(plan, Defaults, activeRunsOfOwner: 0));
    }

    [Fact]
    public void Ten_thousand_runs_of_depth_1024_width_8192_networks_are_refused_naming_each_limit_its_value_and_the_sweeps()
    {
        var plan = SweepPlanner.Plan(Sweep(1024, 8192, seeds: 10_000, env: "point_u_maze"));

        var over = Assert.Throws<SweepOverLimits>(() => SweepLimits.Check(plan, Defaults, activeRunsOfOwner: 0));

        Assert.Equal(
            ["Crl:Limits:MaxRunsPerSweep", "Crl:Limits:MaxActiveRunsPerUser", "Crl:Limits:MaxParametersPerNetwork", "Crl:Limits:MaxFlopsPerRun", "Crl:Limits:MaxFlopsPerSweep"],
            over.Exceeded.Select(e => e.Limit));
        var parameters = over.Exceeded.Single(e => e.Limit.EndsWith("MaxParametersPerNetwork", StringComparison.Ordinal));
        Assert.Equal(1e9, parameters.Allowed);
        Assert.True(parameters.Requested > 68e9, $"{parameters.Requested}");
        Assert.Matches(@"^the largest network, .+ of point_u_maze at actor × critic depth 1024 × 1024, width 8192, batch 256, has 68,\d{3},\d{3},\d{3} parameters; Crl:Limits:MaxParametersPerNetwork allows 1,000,000,000$", parameters.Message);
        Assert.Equal("this sweep has 10,000 runs; Crl:Limits:MaxRunsPerSweep allows 1,000", over.Errors["Crl:Limits:MaxRunsPerSweep"].Single());
        Assert.Matches(@"^the sweep needs [\d.]+e2\d FLOPs in all; Crl:Limits:MaxFlopsPerSweep allows 1e21$", over.Errors["Crl:Limits:MaxFlopsPerSweep"].Single());
    }

    [Fact]
    public void A_users_queued_and_running_runs_count_this_launch_included_and_nobodys_launch_has_no_such_limit()
    {
        var plan = SweepPlanner.Plan(QuickSweep.Request(seeds: [1, 2, 3]));
        var limits = new LimitOptions { MaxActiveRunsPerUser = 10 };

        Assert.Empty(SweepLimits.Exceeded(plan, limits, activeRunsOfOwner: 7));
        var over = Assert.Single(SweepLimits.Exceeded(plan, limits, activeRunsOfOwner: 8));
        Assert.Equal("you have 8 runs queued or running and this sweep adds 3; Crl:Limits:MaxActiveRunsPerUser allows 10", over.Message);
        Assert.Equal((10d, 11d), (over.Allowed, over.Requested));
        Assert.Empty(SweepLimits.Exceeded(plan, limits, activeRunsOfOwner: null));
    }

    [Fact]
    public void Env_steps_beyond_the_limit_are_refused()
    {
        var plan = SweepPlanner.Plan(Sweep(4, 256, envSteps: 2_000_000_000));

        var over = Assert.Single(SweepLimits.Exceeded(plan, Defaults, 0), e => e.Limit == "Crl:Limits:MaxEnvStepsPerRun");
        Assert.Equal("a run has 2,000,000,000 env steps; Crl:Limits:MaxEnvStepsPerRun allows 1,000,000,000", over.Message);
    }

    [Fact]
    public void Limits_that_make_no_sense_stop_the_server_at_start_naming_the_setting()
    {
        var options = new CrlOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), $"crl-limits-{Guid.NewGuid():N}"),
            Limits = new LimitOptions { MaxParametersPerNetwork = 0, MaxFlopsPerRun = 1e22, MaxRunsPerSweep = 20_000 },
            Http = new HttpOptions { MaxRequestBodyBytes = 10 },
        };
        try
        {
            var failures = new CrlOptionsValidator().Validate(null, options).Failures!.ToList();

            Assert.Contains("Crl:Limits:MaxParametersPerNetwork must be ≥ 1; got 0", failures);
            Assert.Contains(failures, f => f.StartsWith("Crl:Limits:MaxFlopsPerSweep must be a finite number ≥ Crl:Limits:MaxFlopsPerRun", StringComparison.Ordinal));
            Assert.Contains("Crl:Limits:MaxRunsPerSweep must be in [1, 10000]; got 20000", failures);
            Assert.Contains(failures, f => f.StartsWith("Crl:Http:MaxRequestBodyBytes must be in [1024,", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(options.DataDirectory, recursive: true);
        }
    }
}

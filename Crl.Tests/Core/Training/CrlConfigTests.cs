using Crl.Core.Training;
using Xunit;

namespace Crl.Tests.Core.Training;

public class CrlConfigTests
{
    [Fact]
    public void Defaults_are_the_spec_defaults()
    {
        var config = new CrlConfig();
        Assert.Empty(config.Validate());
        Assert.Equal((512, 62, 1000, 10_000, 1_000, 256, 800), (config.NumEnvs, config.UnrollLength, config.EpisodeLength, config.MaxReplaySize, config.MinReplaySize, config.BatchSize, config.NumSgdBatchesPerTrainingStep));
        Assert.Equal(17, config.PrefillUnrolls);
        Assert.Equal(31, config.TrainingStepsPerEpoch);
        Assert.Equal(31_744, config.EnvStepsPerTrainingStep);
    }

    [Theory]
    [InlineData("BatchSize", "--batch-size")]
    [InlineData("ActorDepth", "--actor-depth")]
    [InlineData("Env", "--env")]
    public void Errors_name_the_field_its_flag_and_the_allowed_range(string field, string flag)
    {
        var config = field switch
        {
            "BatchSize" => new CrlConfig { BatchSize = 1 },
            "ActorDepth" => new CrlConfig { ActorDepth = 6 },
            _ => new CrlConfig { Env = "ant_maze_on_mars" },
        };
        var error = Assert.Single(config.Validate());
        Assert.StartsWith($"{field} ({flag}) must be", error);
        Assert.Contains(field == "Env" ? "point_u_maze" : "[", error);
        Assert.Throws<ArgumentException>(() => config.Validated());
    }

    [Fact]
    public void A_budget_too_small_for_one_training_step_per_epoch_is_refused()
    {
        var error = Assert.Single(new CrlConfig { TotalEnvSteps = 1_000_000 }.Validate());
        Assert.Contains("TotalEnvSteps (--total-env-steps) must be at least 3,686,400", error);
    }
}

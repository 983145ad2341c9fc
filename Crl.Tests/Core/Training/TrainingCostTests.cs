using Crl.Core.Training;
using Xunit;

namespace Crl.Tests.Core.Training;

[Collection(TrainerCollection.Name)]
public class TrainingCostTests
{
    [Fact]
    public void The_cost_counts_the_updates_and_env_steps_a_real_run_performs()
    {
        var config = CrlTrainerTests.Tiny(epochs: 3);
        using var trainer = new CrlTrainer(config);

        var counters = trainer.Run(new RecordingObserver());
        var cost = TrainingCost.Of(config);

        Assert.Equal(counters.Updates, cost.Updates);
        // Every collected env step plus four evaluations (one before training) of 8 episodes × 30 steps.
        Assert.Equal(counters.EnvSteps + 4 * 8 * 30, cost.ActingSteps);
    }

    [Fact]
    public void Doubling_the_depth_of_a_wide_network_nearly_doubles_the_cost_of_an_update()
    {
        var shallow = TrainingCost.Of(new CrlConfig { ActorDepth = 16, CriticDepth = 16, ActorWidth = 1024, CriticWidth = 1024 });
        var deep = TrainingCost.Of(new CrlConfig { ActorDepth = 32, CriticDepth = 32, ActorWidth = 1024, CriticWidth = 1024 });

        Assert.Equal(shallow.Updates, deep.Updates);
        Assert.InRange(deep.FlopsPerUpdate / shallow.FlopsPerUpdate, 1.9, 2.0);
        Assert.True(deep.TotalFlops > 1.9 * shallow.TotalFlops);
    }
}

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

    [Fact]
    public void Argmax_q_acting_adds_the_critic_passes_over_its_candidates_to_the_steps_that_use_it()
    {
        var policy = new CrlConfig();
        var evalArgmax = TrainingCost.Of(policy with { EvalActionSelection = "argmax-q:8" });
        var collectArgmax = TrainingCost.Of(policy with { CollectActionSelection = "argmax-q:8" });
        var basis = TrainingCost.Of(policy);

        // φ(s,a) is one trunk + head like the actor's body, so 8 candidates cost roughly 9-10 actor passes per step.
        Assert.InRange(evalArgmax.FlopsPerEvalStep / basis.FlopsPerEvalStep, 9, 11);
        Assert.Equal(basis.FlopsPerCollectStep, evalArgmax.FlopsPerCollectStep);
        Assert.Equal(evalArgmax.FlopsPerEvalStep, collectArgmax.FlopsPerCollectStep);
        Assert.Equal(basis.FlopsPerEvalStep, collectArgmax.FlopsPerEvalStep);
        Assert.True(collectArgmax.TotalFlops > evalArgmax.TotalFlops && evalArgmax.TotalFlops > basis.TotalFlops);
        Assert.Equal(basis.Updates * basis.FlopsPerUpdate + basis.ActingSteps * basis.FlopsPerCollectStep, basis.TotalFlops, basis.TotalFlops * 1e-12);
    }
}

using Crl.Core.Algorithms;
using Crl.Core.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Crl.Tests.Core.Algorithms;

// Seeds and draws from libtorch's process-wide generator: no other test may draw from it meanwhile.
[Collection(Crl.Tests.Core.Training.TrainerCollection.Name)]
public class CrlUpdateTests
{
    static Dictionary<string, float[]> Snapshot(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().data<float>().ToArray());

    [Fact]
    public void One_update_changes_actor_alpha_and_critic_and_reports_real_metrics()
    {
        random.manual_seed(7);
        using var agent = new CrlAgent(TestAgents.Spec(width: 32, actorDepth: 4, criticDepth: 4), CPU);
        using var observation = randn(64, 6);
        using var action = rand(64, 2) * 2 - 1;
        var actorBefore = Snapshot(agent.Actor);
        var criticBefore = Snapshot(agent.Critic);

        using var scope = NewDisposeScope();
        var metrics = agent.Update(observation, action);

        var named = MetricNames.Update.ToDictionary(m => m.Name, m => m.Value(metrics).item<float>());
        Assert.Equal(10, named.Count);
        Assert.All(named.Values, v => Assert.True(float.IsFinite(v)));
        // InfoNCE over 64 candidates starts near log 64; the penalty adds a little.
        Assert.InRange(metrics.CriticLoss.item<float>(), 0.5 * Math.Log(64), 3 * Math.Log(64));
        Assert.InRange(metrics.CategoricalAccuracy.item<float>(), 0, 1);
        Assert.True(metrics.LogitsPos.item<float>() < 0 && metrics.LogitsNeg.item<float>() < 0);
        Assert.Equal(1f, metrics.Alpha.item<float>(), 5); // α before its first step
        Assert.NotEqual(0f, metrics.LogAlpha.item<float>());
        Assert.Contains(agent.Actor.named_parameters(), p => !p.parameter.data<float>().ToArray().SequenceEqual(actorBefore[p.name]));
        Assert.All(agent.Critic.named_parameters(), p => Assert.False(p.parameter.data<float>().ToArray().SequenceEqual(criticBefore[p.name]), p.name));
        // The actor step must not leave the critic frozen.
        Assert.All(agent.Critic.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Actor_loss_gradient_does_not_reach_the_critic_weights()
    {
        random.manual_seed(8);
        using var agent = new CrlAgent(TestAgents.Spec(width: 16, actorDepth: 4, criticDepth: 4), CPU);
        using var observation = randn(16, 6);
        var criticBefore = Snapshot(agent.Critic);
        // The actor phase of CrlAgent.Update: Q through the current critic with the critic's weights frozen (algorithm.md §2.2).
        agent.SetCriticTrainable(false);
        var (action, logProb) = agent.Actor.Sample(observation);
        using var q = CrlLosses.PairEnergy(agent.Critic.Phi(observation.narrow(1, 0, 4), action), agent.Critic.Psi(observation.narrow(1, 4, 2)));
        using var loss = CrlLosses.ActorLoss(tensor(1f), logProb, q);
        loss.backward();
        agent.SetCriticTrainable(true);

        Assert.Equal(0f, agent.CriticOptimizer.Gradients.abs().sum().item<float>());
        Assert.True(agent.Actor.parameters().Sum(p => p.grad!.abs().sum().item<float>()) > 0);
        Assert.All(agent.Critic.named_parameters(), p => Assert.True(p.parameter.data<float>().ToArray().SequenceEqual(criticBefore[p.name])));
    }
}

using Crl.Core.Algorithms;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Crl.Tests.Core.Algorithms;

public class CrlUpdateTests
{
    static Dictionary<string, float[]> Snapshot(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().data<float>().ToArray());

    [Fact]
    public void One_update_changes_actor_alpha_and_critic_and_reports_real_metrics()
    {
        random.manual_seed(7);
        using var agent = new CrlAgent(new CrlAgentSpec(4, 2, 2, 32, 4, 32, 4), CPU);
        using var observation = randn(64, 6);
        using var action = rand(64, 2) * 2 - 1;
        var actorBefore = Snapshot(agent.Actor);
        var criticBefore = Snapshot(agent.Critic);

        using var metrics = CrlUpdate.Apply(agent, observation, action);

        var values = metrics.data<float>().ToArray();
        var named = CrlUpdate.MetricNames.Select((n, i) => (n, values[i])).ToDictionary();
        Assert.Equal(CrlUpdate.MetricNames.Count, values.Length);
        Assert.All(values, v => Assert.True(float.IsFinite(v)));
        // InfoNCE over 64 candidates starts near log 64; the penalty adds a little.
        Assert.InRange(named["critic_loss"], 0.5 * Math.Log(64), 3 * Math.Log(64));
        Assert.InRange(named["categorical_accuracy"], 0, 1);
        Assert.True(named["logits_pos"] < 0 && named["logits_neg"] < 0);
        Assert.Equal(1f, named["alpha"], 5); // α before its first step
        Assert.NotEqual(0f, named["log_alpha"]);
        Assert.Contains(agent.Actor.named_parameters(), p => !p.parameter.data<float>().ToArray().SequenceEqual(actorBefore[p.name]));
        Assert.All(agent.Critic.named_parameters(), p => Assert.False(p.parameter.data<float>().ToArray().SequenceEqual(criticBefore[p.name]), p.name));
        // The actor step must not leave the critic frozen.
        Assert.All(agent.Critic.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Actor_loss_gradient_does_not_reach_the_critic_weights()
    {
        random.manual_seed(8);
        using var agent = new CrlAgent(new CrlAgentSpec(4, 2, 2, 16, 4, 16, 4), CPU);
        using var observation = randn(16, 6);
        var criticBefore = Snapshot(agent.Critic);
        // The actor phase of CrlUpdate: Q through the current critic with the critic's weights frozen (spec §2.2).
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

using Crl.Core.Algorithms;
using Crl.Core.Environments;
using Crl.Core.Networks;
using Crl.Core.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Crl.Tests.Core.Networks;

/// <summary>
/// Activation checkpointing changes memory and time only: the losses, every parameter's gradient under the actor and
/// the critic loss, and whole updates equal the plain path's.
/// </summary>
// Seeds and draws from libtorch's process-wide generator: no other test may draw from it meanwhile.
[Collection(Crl.Tests.Core.Training.TrainerCollection.Name)]
public class ActivationCheckpointingTests
{
    static readonly EnvSpec Task = new("test", StateDim: 4, GoalDim: 2, ActionDim: 2, GoalStart: 0, EpisodeLength: 30, SuccessRadius: 0.5, Description: "");

    static CrlAgent Agent(int depth, bool residual, Activation activation = Activation.Swish)
    {
        random.manual_seed(11);
        return new CrlAgent(CrlTrainer.AgentSpec(new CrlConfig
        {
            ActorWidth = 32, CriticWidth = 32, ActorDepth = depth, CriticDepth = depth, Residual = residual, Activation = activation,
        }, Task), CPU);
    }

    /// <summary>Float32 rounding: the recomputed block is the same function on the same input, so only summation order could differ.</summary>
    static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.True(expected.abs().sum().item<float>() > 0, $"{what}: no gradient reached it");
        var scale = expected.abs().max().item<float>();
        var error = (expected - actual).abs().max().item<float>();
        Assert.True(error <= 1e-6f * Math.Max(1f, scale), $"{what}: differs by {error} (largest entry {scale})");
    }

    /// <summary>The actor phase of <see cref="CrlAgent.Update"/>, then the critic phase, each leaving its gradients in the optimiser's buffer.</summary>
    static (Tensor ActorLoss, List<(string Name, Tensor Gradient)> ActorGradients, Tensor CriticLoss, List<(string Name, Tensor Gradient)> CriticGradients) Gradients(CrlAgent agent, Tensor observation, Tensor action)
    {
        using var scope = NewDisposeScope();
        var state = observation.narrow(1, 0, 4);
        var goal = observation.narrow(1, 4, 2);
        var psi = agent.Critic.Psi(goal);

        random.manual_seed(3); // the same policy noise in both paths
        var (sampled, logProb) = agent.Actor.Sample(observation);
        agent.SetCriticTrainable(false);
        var q = CrlLosses.PairEnergy(agent.Critic.Phi(state, sampled), psi.detach());
        var actorLoss = CrlLosses.ActorLoss(tensor(0.5f), logProb, q);
        agent.ActorOptimizer.ZeroGrad();
        actorLoss.backward();
        agent.SetCriticTrainable(true);
        var actorGradients = Each(agent.Actor);

        var criticLoss = CrlLosses.CriticLoss(CrlLosses.Energy(agent.Critic.Phi(state, action), psi), 0.1);
        agent.CriticOptimizer.ZeroGrad();
        criticLoss.backward();
        return (actorLoss.detach().MoveToOuterDisposeScope(), actorGradients, criticLoss.detach().MoveToOuterDisposeScope(), Each(agent.Critic));
    }

    static List<(string, Tensor)> Each(nn.Module network) =>
        [.. network.named_parameters().Select(p => (p.name, p.parameter.grad!.clone().MoveToOuterDisposeScope()))];

    [Theory]
    [InlineData(4, true)]
    [InlineData(16, true)]
    [InlineData(16, false)] // residual off: the same four-layer groups are recomputed, without the skip
    public void Every_parameter_gradient_of_the_actor_and_critic_losses_equals_the_plain_path(int depth, bool residual)
    {
        using var agent = Agent(depth, residual);
        using var observation = randn(48, 6);
        using var action = rand(48, 2) * 2 - 1;

        var plain = Gradients(agent, observation, action);
        agent.ActivationCheckpointing = true;
        Assert.True(agent.Actor.Trunk.ActivationCheckpointing && agent.Critic.SaEncoder.Trunk.ActivationCheckpointing && agent.Critic.GEncoder.Trunk.ActivationCheckpointing);
        var checkpointed = Gradients(agent, observation, action);

        Assert.Equal(plain.ActorLoss.item<float>(), checkpointed.ActorLoss.item<float>());
        Assert.Equal(plain.CriticLoss.item<float>(), checkpointed.CriticLoss.item<float>());
        // Every layer's Dense and LayerNorm parameters, the heads and the input projections: 4 per layer.
        Assert.True(plain.ActorGradients.Count > 4 * depth && plain.CriticGradients.Count > 8 * depth);
        foreach (var ((name, expected), (_, actual)) in plain.ActorGradients.Zip(checkpointed.ActorGradients))
            AssertClose(expected, actual, "actor." + name);
        foreach (var ((name, expected), (_, actual)) in plain.CriticGradients.Zip(checkpointed.CriticGradients))
            AssertClose(expected, actual, "critic." + name);
        // The actor phase left the critic untouched and trainable again, as on the plain path.
        Assert.All(agent.Critic.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Updates_with_checkpointing_match_plain_updates_loss_for_loss_and_weight_for_weight()
    {
        using var plain = Agent(8, residual: true, Activation.Relu);
        using var checkpointed = Agent(8, residual: true, Activation.Relu);
        checkpointed.ActivationCheckpointing = true;
        for (int u = 0; u < 3; u++)
        {
            using var scope = NewDisposeScope();
            var observation = randn(32, 6);
            var action = rand(32, 2) * 2 - 1;
            random.manual_seed(100 + u);
            var a = plain.Update(observation, action);
            random.manual_seed(100 + u);
            var b = checkpointed.Update(observation, action);
            Assert.Equal(a.CriticLoss.item<float>(), b.CriticLoss.item<float>(), 5);
            Assert.Equal(a.ActorLoss.item<float>(), b.ActorLoss.item<float>(), 5);
            Assert.Equal(a.AlphaLoss.item<float>(), b.AlphaLoss.item<float>(), 5);
        }
        foreach (var (p, q) in plain.Actor.parameters().Concat(plain.Critic.parameters()).Zip(checkpointed.Actor.parameters().Concat(checkpointed.Critic.parameters())))
            Assert.True((p - q).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Without_a_graph_the_trunk_runs_plainly_and_gives_the_same_actions()
    {
        using var agent = Agent(8, residual: true);
        using var observation = randn(16, 6);
        using var plainAction = agent.Act(observation, ActionSelection.Parse("argmax-q:4"), explore: false, generator: new Generator(5));
        agent.ActivationCheckpointing = true;
        using var checkpointedAction = agent.Act(observation, ActionSelection.Parse("argmax-q:4"), explore: false, generator: new Generator(5));
        Assert.True(plainAction.eq(checkpointedAction).all().item<bool>());
    }
}

/// <summary>A run with checkpointing trains, reports the same metrics as one without, and records the knob.</summary>
[Collection(Crl.Tests.Core.Training.TrainerCollection.Name)]
public class ActivationCheckpointingRunTests
{
    [Fact]
    public void A_run_with_checkpointing_reports_the_plain_runs_losses_and_records_the_knob_in_its_checkpoint()
    {
        var root = Directory.CreateTempSubdirectory("crl-checkpointing-").FullName;
        try
        {
            var plainConfig = Crl.Tests.Core.Training.CrlTrainerTests.Tiny(epochs: 1) with { ActorDepth = 8, CriticDepth = 8 };
            var config = plainConfig with { ActivationCheckpointing = true };
            var plain = new Crl.Tests.Core.Training.RecordingObserver();
            using (var trainer = new CrlTrainer(plainConfig)) trainer.Run(plain);
            var checkpointed = new Crl.Tests.Core.Training.RecordingObserver();
            using (var trainer = new CrlTrainer(config))
            {
                Assert.True(trainer.Agent.ActivationCheckpointing);
                trainer.Run(checkpointed, checkpointDirectory: root);
            }

            foreach (var name in new[] { MetricNames.CriticLoss, MetricNames.ActorLoss, MetricNames.AlphaLoss, MetricNames.EpisodeSuccess })
                Assert.Equal(plain.Reports[^1].Values[name], checkpointed.Reports[^1].Values[name], 4);
            var latest = Path.Combine(root, CheckpointSchedule.Latest);
            Assert.True(CrlCheckpoint.ReadState(latest).Config.ActivationCheckpointing);
            using var resumed = CrlTrainer.Resume(latest);
            Assert.True(resumed.Agent.ActivationCheckpointing);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

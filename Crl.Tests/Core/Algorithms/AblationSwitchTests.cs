using Crl.Core.Algorithms;
using Crl.Core.Environments;
using Crl.Core.Networks;
using Crl.Core.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Crl.Tests.Core.Algorithms;

/// <summary>Each ablation switch changes what it names and nothing else; its default is the paper's network and loss.</summary>
// Seeds and draws from libtorch's process-wide generator: no other test may draw from it meanwhile.
[Collection(Crl.Tests.Core.Training.TrainerCollection.Name)]
public class AblationSwitchTests
{
    static readonly EnvSpec Task = new("test", StateDim: 4, GoalDim: 2, ActionDim: 2, GoalStart: 0, EpisodeLength: 30, SuccessRadius: 0.5, Description: "");

    static CrlAgentSpec Spec(CrlConfig config) => CrlTrainer.AgentSpec(config with { ActorWidth = 32, CriticWidth = 32 }, Task);

    static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void Residual_off_keeps_every_layer_and_parameter_and_drops_only_the_skips()
    {
        random.manual_seed(1);
        using var residual = new ResidualTrunk(6, 32, 8);
        random.manual_seed(1);
        using var plain = new ResidualTrunk(6, 32, 8, residual: false);
        using var x = randn(16, 6);

        Assert.Equal(residual.named_parameters().Select(p => p.name), plain.named_parameters().Select(p => p.name));
        Assert.All(residual.named_parameters().Zip(plain.named_parameters()), pair => Assert.True(Same(pair.First.parameter, pair.Second.parameter)));
        using var withSkips = residual.forward(x);
        using var withoutSkips = plain.forward(x);
        Assert.False(withSkips.allclose(withoutSkips));
        // Without skips the last operation is the activation: Swish never goes below −0.279; with them the sums do.
        Assert.True(withoutSkips.min().item<float>() >= -0.2785f);

        var paper = Spec(new CrlConfig()).Sizes;
        Assert.Equal(paper, Spec(new CrlConfig { Residual = false }).Sizes);
    }

    [Fact]
    public void Relu_changes_the_activation_of_every_layer_and_no_parameter()
    {
        random.manual_seed(2);
        using var swish = new ResidualTrunk(6, 32, 4, residual: false);
        random.manual_seed(2);
        using var relu = new ResidualTrunk(6, 32, 4, Activation.Relu, residual: false);
        using var x = randn(64, 6);

        using var swished = swish.forward(x);
        using var relued = relu.forward(x);
        Assert.True(swished.min().item<float>() < 0); // Swish lets small negatives through
        Assert.Equal(0f, relued.min().item<float>()); // ReLU does not, and LayerNorm leaves some units below zero
        Assert.Equal(Count(swish), Count(relu));
        Assert.Equal(Spec(new CrlConfig()).Sizes, Spec(new CrlConfig { Activation = Activation.Relu }).Sizes);
    }

    [Fact]
    public void Representation_dim_sizes_the_critic_heads_only()
    {
        var paper = Spec(new CrlConfig());
        var narrow = Spec(new CrlConfig { RepresentationDim = 16 });
        Assert.Equal(64, paper.RepresentationDim);

        Assert.Equal(paper.Sizes.Actor, narrow.Sizes.Actor);
        // Each encoder's head is Dense(width → representation): (64 − 16) × (32 + 1) fewer parameters.
        Assert.Equal(48 * 33, paper.Sizes.SaEncoder - narrow.Sizes.SaEncoder);
        Assert.Equal(48 * 33, paper.Sizes.GEncoder - narrow.Sizes.GEncoder);

        using var agent = new CrlAgent(narrow, CPU);
        Assert.Equal(narrow.Sizes.SaEncoder, Count(agent.Critic.SaEncoder));
        Assert.Equal(narrow.Sizes.GEncoder, Count(agent.Critic.GEncoder));
        using var psi = agent.Critic.Psi(randn(5, 2));
        Assert.Equal([5L, 16L], psi.shape);
    }

    [Fact]
    public void Entropy_off_drops_the_entropy_term_and_leaves_alpha_untrained()
    {
        using var observation = randn(32, 6);
        using var action = rand(32, 2) * 2 - 1;
        (float Actor, float Critic, float Entropy, float LogAlpha, float AlphaGradient) UpdateWith(bool entropy)
        {
            random.manual_seed(3);
            using var agent = new CrlAgent(Spec(new CrlConfig { Entropy = entropy }), CPU);
            using var scope = NewDisposeScope();
            var m = agent.Update(observation, action);
            return (m.ActorLoss.item<float>(), m.CriticLoss.item<float>(), m.Entropy.item<float>(), agent.LogAlpha.item<float>(),
                agent.AlphaOptimizer.Gradients.abs().sum().item<float>());
        }

        var on = UpdateWith(entropy: true);
        var off = UpdateWith(entropy: false);

        // Same weights, same noise: the losses differ by exactly α·mean log π = −entropy (α = 1 before any step).
        Assert.Equal(on.Actor + on.Entropy, off.Actor, 4);
        Assert.Equal(on.Entropy, off.Entropy);
        Assert.Equal(on.Critic, off.Critic); // the critic's loss and batch are untouched
        Assert.NotEqual(0f, on.LogAlpha);
        Assert.True(on.AlphaGradient > 0);
        Assert.Equal(0f, off.LogAlpha); // α = 1, never stepped
        Assert.Equal(0f, off.AlphaGradient);
    }

    [Fact]
    public void Argmax_q_acts_with_the_best_of_k_policy_samples_under_the_critic()
    {
        random.manual_seed(4);
        using var agent = new CrlAgent(Spec(new CrlConfig()), CPU);
        using var observation = randn(256, 6);
        using var scope = NewDisposeScope();
        Tensor Q(Tensor a) => CrlLosses.PairEnergy(agent.Critic.Phi(observation.narrow(1, 0, 4), a), agent.Critic.Psi(observation.narrow(1, 4, 2)));
        Tensor Act(string selection, ulong seed)
        {
            using var generator = new Generator(seed);
            return agent.Act(observation, ActionSelection.Parse(selection), explore: false, generator);
        }

        using (no_grad())
        {
            var one = Act("argmax-q:1", 5);
            var best = Act("argmax-q:16", 5);
            Assert.True(Same(Act("argmax-q:16", 5), best)); // a seeded generator repeats itself
            Assert.Equal([256L, 2L], best.shape);
            Assert.True(best.abs().max().item<float>() < 1);
            Assert.True(Q(best).mean().item<float>() > Q(one).mean().item<float>());
            Assert.True(Same(agent.Act(observation, ActionSelection.Policy, explore: false), agent.Actor.Deterministic(observation)));
        }
    }

    [Theory]
    [InlineData("policy", 0)]
    [InlineData("argmax-q:4", 4)]
    [InlineData("ARGMAX-Q:1024", 1024)]
    public void Action_selection_reads_its_two_forms(string text, int candidates)
    {
        Assert.Equal(candidates, ActionSelection.Parse(text).Candidates);
        Assert.Equal(text.ToLowerInvariant(), ActionSelection.Parse(text).ToString());
    }

    [Theory]
    [InlineData("argmax-q:0")]
    [InlineData("argmax-q:1025")]
    [InlineData("argmax-q")]
    [InlineData("best")]
    public void Action_selection_refuses_anything_else_naming_the_knob_and_its_forms(string text)
    {
        Assert.False(ActionSelection.TryParse(text, out _));
        var problem = Assert.Single(new CrlConfig { EvalActionSelection = text }.Validate());
        Assert.Contains("EvalActionSelection (--eval-action-selection) must be policy, or argmax-q:K with K in [1, 1024]", problem);
    }

    [Fact]
    public void Use_all_batches_trains_on_every_full_minibatch_of_one_window_per_env()
    {
        Assert.Equal(800, new CrlConfig().UpdatesPerTrainingStep);
        Assert.Equal(512 * 999 / 256, new CrlConfig { UseAllBatches = true }.UpdatesPerTrainingStep); // 1,998
        var tooFew = new CrlConfig { UseAllBatches = true, NumEnvs = 2, EpisodeLength = 50, MinReplaySize = 50, BatchSize = 128 };
        Assert.Contains(tooFew.Validate(), p => p.StartsWith("UseAllBatches (--use-all-batches) must be false while NumEnvs × (EpisodeLength − 1) = 98"));
    }
}

using Crl.Core.Algorithms;
using Crl.Core.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Crl.Tests.Core.Algorithms;

// Seeds and draws from libtorch's process-wide generator: no other test may draw from it meanwhile.
[Collection(Crl.Tests.Core.Training.TrainerCollection.Name)]
public class CrlLossesTests
{
    static readonly CrlConfig Paper = new();

    // φ rows (0,0) and (3,4); ψ rows (0,0) and (0,4) ⇒ distances [[0, 4], [5, 3]].
    static Tensor Phi() => tensor(new float[] { 0, 0, 3, 4 }).reshape(2, 2);
    static Tensor Psi() => tensor(new float[] { 0, 0, 0, 4 }).reshape(2, 2);
    static double Lse(params double[] x) { var m = x.Max(); return m + Math.Log(x.Sum(v => Math.Exp(v - m))); }

    [Fact]
    public void Energy_is_the_negative_euclidean_distance()
    {
        using var phi = Phi();
        using var psi = Psi();
        using var logits = CrlLosses.Energy(phi, psi);
        Assert.Equal(new float[] { 0, -4, -5, -3 }, logits.data<float>().ToArray());
        using var pairs = CrlLosses.PairEnergy(phi, psi);
        Assert.Equal(new float[] { 0, -3 }, pairs.data<float>().ToArray());
    }

    [Fact]
    public void Critic_loss_is_forward_infonce_plus_logsumexp_penalty()
    {
        using var logits = tensor(new float[] { 0, -4, -5, -3 }).reshape(2, 2);

        using var nce = CrlLosses.InfoNceForward(logits);
        using var penalty = CrlLosses.LogsumexpPenalty(logits, Paper.LogsumexpPenaltyCoeff);
        using var total = CrlLosses.CriticLoss(logits, Paper.LogsumexpPenaltyCoeff);

        var expectedNce = -((0 - Lse(0, -4)) + (-3 - Lse(-5, -3))) / 2;
        var lse0 = Lse(0 + 1e-6, -4 + 1e-6); var lse1 = Lse(-5 + 1e-6, -3 + 1e-6);
        var expectedPenalty = 0.1 * (lse0 * lse0 + lse1 * lse1) / 2;
        Assert.Equal(expectedNce, nce.item<float>(), 5);
        Assert.Equal(expectedPenalty, penalty.item<float>(), 5);
        Assert.Equal(expectedNce + expectedPenalty, total.item<float>(), 5);
    }

    [Fact]
    public void Actor_and_alpha_losses_follow_sac()
    {
        using var alpha = tensor(0.5f);
        using var logProb = tensor(new float[] { -1, 2 });
        using var q = tensor(new float[] { -3, -1 });
        using var actorLoss = CrlLosses.ActorLoss(alpha, logProb, q);
        Assert.Equal(((0.5 * -1 + 3) + (0.5 * 2 + 1)) / 2, actorLoss.item<float>(), 5);

        using var logAlpha = tensor((float)Math.Log(0.5)).requires_grad_(true);
        using var alphaLoss = CrlLosses.AlphaLoss(logAlpha, logProb, targetEntropy: -1);
        // α · mean(−log π − target) = 0.5 · mean(1 + 1, −2 + 1) = 0.5 · 0.5
        Assert.Equal(0.25, alphaLoss.item<float>(), 5);
        alphaLoss.backward();
        // d/d log α of α·c is α·c: the gradient reaches log α.
        Assert.Equal(0.25, logAlpha.grad!.item<float>(), 5);
        Assert.Equal(-1.0, CrlLosses.TargetEntropy(2, Paper.EntropyParam));
        Assert.Equal(-8.5, CrlLosses.TargetEntropy(17, Paper.EntropyParam));
    }

    [Fact]
    public void Diagnostics_are_computed_from_the_logits()
    {
        using var logits = tensor(new float[] { 0, -4, -5, -3, -1, -2, -7, -6, -9 }).reshape(3, 3);
        var (accuracy, logitsPos, logitsNeg) = CrlLosses.ContrastiveDiagnostics(logits);
        // Rows' argmax: 0 ✓, 1? row 1 = (−3, −1, −2) → 1 ✓, row 2 = (−7, −6, −9) → 1 ✗.
        Assert.Equal(2f / 3, accuracy.item<float>(), 5);
        Assert.Equal((0 - 1 - 9) / 3f, logitsPos.item<float>(), 5);
        Assert.Equal((-4 - 5 - 3 - 2 - 7 - 6) / 6f, logitsNeg.item<float>(), 5);
    }

    [Fact]
    public void Critic_loss_gradient_reaches_both_encoders_but_not_the_actor()
    {
        random.manual_seed(5);
        using var agent = new CrlAgent(TestAgents.Spec(width: 16, actorDepth: 4, criticDepth: 4), CPU);
        using var state = randn(8, 4);
        using var goal = randn(8, 2);
        var (action, _) = agent.Actor.Sample(cat([state, goal], 1));

        using var logits = CrlLosses.Energy(agent.Critic.Phi(state, action.detach()), agent.Critic.Psi(goal));
        using var loss = CrlLosses.CriticLoss(logits, Paper.LogsumexpPenaltyCoeff);
        loss.backward();

        Assert.All(agent.Critic.parameters(), p => Assert.NotNull(p.grad));
        Assert.True(agent.Critic.SaEncoder.parameters().Sum(p => p.grad!.abs().sum().item<float>()) > 0);
        Assert.True(agent.Critic.GEncoder.parameters().Sum(p => p.grad!.abs().sum().item<float>()) > 0);
        Assert.All(agent.Actor.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
    }
}

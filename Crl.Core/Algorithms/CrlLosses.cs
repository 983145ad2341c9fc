using Crl.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Algorithms;

/// <summary>The losses of spec §2, one function per equation.</summary>
public static class CrlLosses
{
    /// <summary>scaling-crl's <c>logsumexp_penalty_coeff</c> (spec §2.1).</summary>
    public const double LogsumexpPenaltyCoeff = 0.1;

    /// <summary>
    /// L_ij = −‖φ_i − ψ_j‖₂ (spec §1.3), a B×B matrix with the positives on the diagonal. <c>cdist</c> computes the
    /// plain Euclidean distance (no epsilon, as scaling-crl) and, unlike a hand-written sqrt, has a finite gradient
    /// at zero distance, which spec §9 asks us to guard against.
    /// </summary>
    public static Tensor Energy(Tensor phi, Tensor psi)
    {
        using var distance = cdist(phi, psi);
        return distance.neg();
    }

    /// <summary>Energy of matched pairs only: Q(s,a,g) = −‖φ(s,a) − ψ(g)‖₂ row by row (spec §2.2).</summary>
    public static Tensor PairEnergy(Tensor phi, Tensor psi)
    {
        using var scope = NewDisposeScope();
        return phi.Minus(psi).Squared().sum(1).sqrt().neg().MoveToOuterDisposeScope();
    }

    /// <summary>Forward InfoNCE: ℓ_nce = −mean_i [L_ii − logsumexp_j L_ij] (row-wise softmax over goals, spec §2.1).</summary>
    public static Tensor InfoNceForward(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var positives = logits.diagonal();
        var normaliser = logits.logsumexp(1);
        return positives.Minus(normaliser).mean().neg().MoveToOuterDisposeScope();
    }

    /// <summary>ℓ_pen = coeff · mean_i [(logsumexp_j (L_ij + 1e-6))²] (spec §2.1).</summary>
    public static Tensor LogsumexpPenalty(Tensor logits, double coeff = LogsumexpPenaltyCoeff)
    {
        using var scope = NewDisposeScope();
        var lse = logits.Plus(1e-6).logsumexp(1);
        return lse.Squared().mean().Times(coeff).MoveToOuterDisposeScope();
    }

    /// <summary>Critic loss = ℓ_nce + ℓ_pen.</summary>
    public static Tensor CriticLoss(Tensor logits, double penaltyCoeff = LogsumexpPenaltyCoeff)
    {
        using var nce = InfoNceForward(logits);
        using var penalty = LogsumexpPenalty(logits, penaltyCoeff);
        return nce.Plus(penalty);
    }

    /// <summary>SAC actor loss: mean[α·log π(a|s,g) − Q(s,a,g)] (spec §2.2).</summary>
    public static Tensor ActorLoss(Tensor alpha, Tensor logProb, Tensor q)
    {
        using var scope = NewDisposeScope();
        return (alpha * logProb).Minus(q).mean().MoveToOuterDisposeScope();
    }

    /// <summary>α loss = α · mean(stopgrad(−log π − target_entropy)), minimised w.r.t. log α (spec §2.3).</summary>
    public static Tensor AlphaLoss(Tensor logAlpha, Tensor logProb, double targetEntropy)
    {
        using var scope = NewDisposeScope();
        var entropyGap = logProb.detach().neg().Plus(-targetEntropy).mean();
        return (logAlpha.exp() * entropyGap).MoveToOuterDisposeScope();
    }

    /// <summary>Target entropy = −entropy_param × action_dim, entropy_param = 0.5 (spec §2.3).</summary>
    public static double TargetEntropy(long actionDim, double entropyParam = 0.5) => -entropyParam * actionDim;

    /// <summary>
    /// JaxGCRL's diagnostics (spec §5): argmax-on-diagonal accuracy, mean diagonal logit, mean off-diagonal logit.
    /// Returned as a 3-vector so that an epoch can sum them on the device without a host sync per update.
    /// </summary>
    public static Tensor ContrastiveDiagnostics(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var b = logits.shape[0];
        var detached = logits.detach();
        var targets = arange(0L, b, 1L, dtype: ScalarType.Int64, device: logits.device);
        var accuracy = detached.argmax(1).eq(targets).to(ScalarType.Float32).mean();
        var diagonalSum = detached.diagonal().sum();
        var logitsPos = diagonalSum.Times(1.0 / b);
        var logitsNeg = detached.sum().Minus(diagonalSum).Times(1.0 / Math.Max(1, b * (b - 1)));
        return stack([accuracy, logitsPos, logitsNeg]).MoveToOuterDisposeScope();
    }
}

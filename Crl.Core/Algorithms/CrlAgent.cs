using Crl.Core.Networks;
using Crl.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

// The learning rule of algorithm.md §2 in its order: the losses (§2.1–2.3), then the agent whose update applies them (§2.4),
// returning what it measured (§5).
namespace Crl.Core.Algorithms;

/// <summary>The losses of algorithm.md §2, one function per equation.</summary>
public static class CrlLosses
{
    /// <summary>
    /// L_ij = −‖φ_i − ψ_j‖₂ (algorithm.md §1.3), a B×B matrix with the positives on the diagonal. <c>cdist</c> computes the
    /// plain Euclidean distance (no epsilon, as scaling-crl) and, unlike a hand-written sqrt, has a finite gradient
    /// at zero distance, which algorithm.md §9 asks us to guard against.
    /// </summary>
    public static Tensor Energy(Tensor phi, Tensor psi)
    {
        using var distance = cdist(phi, psi);
        return distance.neg();
    }

    /// <summary>Energy of matched pairs only: Q(s,a,g) = −‖φ(s,a) − ψ(g)‖₂ row by row (algorithm.md §2.2).</summary>
    public static Tensor PairEnergy(Tensor phi, Tensor psi)
    {
        using var scope = NewDisposeScope();
        return phi.Minus(psi).Squared().sum(1).sqrt().neg().MoveToOuterDisposeScope();
    }

    /// <summary>Forward InfoNCE: ℓ_nce = −mean_i [L_ii − logsumexp_j L_ij] (row-wise softmax over goals, algorithm.md §2.1).</summary>
    public static Tensor InfoNceForward(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var positives = logits.diagonal();
        var normaliser = logits.logsumexp(1);
        return positives.Minus(normaliser).mean().neg().MoveToOuterDisposeScope();
    }

    /// <summary>ℓ_pen = coeff · mean_i [(logsumexp_j (L_ij + 1e-6))²] (algorithm.md §2.1; coeff is scaling-crl's <c>logsumexp_penalty_coeff</c>).</summary>
    public static Tensor LogsumexpPenalty(Tensor logits, double coeff)
    {
        using var scope = NewDisposeScope();
        var lse = logits.Plus(1e-6).logsumexp(1);
        return lse.Squared().mean().Times(coeff).MoveToOuterDisposeScope();
    }

    /// <summary>Critic loss = ℓ_nce + ℓ_pen.</summary>
    public static Tensor CriticLoss(Tensor logits, double penaltyCoeff)
    {
        using var nce = InfoNceForward(logits);
        using var penalty = LogsumexpPenalty(logits, penaltyCoeff);
        return nce.Plus(penalty);
    }

    /// <summary>SAC actor loss: mean[α·log π(a|s,g) − Q(s,a,g)] (algorithm.md §2.2).</summary>
    public static Tensor ActorLoss(Tensor alpha, Tensor logProb, Tensor q)
    {
        using var scope = NewDisposeScope();
        return (alpha * logProb).Minus(q).mean().MoveToOuterDisposeScope();
    }

    /// <summary>The actor loss of the entropy ablation (scaling-crl's <c>disable_entropy</c>): −mean Q(s,a,g).</summary>
    public static Tensor ActorLossWithoutEntropy(Tensor q)
    {
        using var mean = q.mean();
        return mean.neg();
    }

    /// <summary>α loss = α · mean(stopgrad(−log π − target_entropy)), minimised w.r.t. log α (algorithm.md §2.3).</summary>
    public static Tensor AlphaLoss(Tensor logAlpha, Tensor logProb, double targetEntropy)
    {
        using var scope = NewDisposeScope();
        var entropyGap = logProb.detach().neg().Plus(-targetEntropy).mean();
        return (logAlpha.exp() * entropyGap).MoveToOuterDisposeScope();
    }

    /// <summary>Target entropy = −entropy_param × action_dim (algorithm.md §2.3).</summary>
    public static double TargetEntropy(long actionDim, double entropyParam) => -entropyParam * actionDim;

    /// <summary>
    /// JaxGCRL's diagnostics (algorithm.md §5): argmax-on-diagonal accuracy, mean diagonal logit, mean off-diagonal logit,
    /// left on the device so that an epoch can sum them without a host sync per update.
    /// </summary>
    public static (Tensor Accuracy, Tensor LogitsPos, Tensor LogitsNeg) ContrastiveDiagnostics(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var b = logits.shape[0];
        var detached = logits.detach();
        var targets = arange(0L, b, 1L, dtype: ScalarType.Int64, device: logits.device);
        var accuracy = detached.argmax(1).eq(targets).to(ScalarType.Float32).mean();
        var diagonalSum = detached.diagonal().sum();
        var logitsPos = diagonalSum.Times(1.0 / b);
        var logitsNeg = detached.sum().Minus(diagonalSum).Times(1.0 / Math.Max(1, b * (b - 1)));
        return (accuracy.MoveToOuterDisposeScope(), logitsPos.MoveToOuterDisposeScope(), logitsNeg.MoveToOuterDisposeScope());
    }
}

/// <summary>
/// What one update measured (algorithm.md §5), each a detached one-value tensor still on the device: the trainer sums an
/// epoch's updates there and reads the sums once. Their logged names are <c>Training.MetricNames.Update</c>.
/// </summary>
/// <param name="Entropy">−mean log π of the actor's sample.</param>
/// <param name="Logsumexp">mean_i logsumexp_j L_ij, what the penalty keeps near zero.</param>
public sealed record CrlUpdateMetrics(
    Tensor CriticLoss, Tensor ActorLoss, Tensor AlphaLoss, Tensor Alpha, Tensor LogAlpha, Tensor Entropy, Tensor Logsumexp,
    Tensor CategoricalAccuracy, Tensor LogitsPos, Tensor LogitsNeg);

/// <summary>Shapes and hyper-parameters an agent is built from (the trainer maps a run's config and env onto it).</summary>
/// <param name="Entropy">false: the actor loss has no entropy term and α is not trained (the entropy ablation).</param>
public sealed record CrlAgentSpec(
    int StateDim, int GoalDim, int ActionDim,
    int ActorWidth, int ActorDepth, int CriticWidth, int CriticDepth,
    double ActorLr, double CriticLr, double AlphaLr, double EntropyParam, double LogsumexpPenaltyCoeff,
    int RepresentationDim, Activation Activation, bool Residual, bool Entropy)
{
    /// <summary>Recompute each residual block in backward instead of keeping its activations (the <c>activationCheckpointing</c> knob).</summary>
    public bool ActivationCheckpointing { get; init; }

    public int ObservationDim => StateDim + GoalDim;

    public NetworkSizes Sizes => NetworkSizes.Of(StateDim, GoalDim, ActionDim, ActorWidth, ActorDepth, CriticWidth, CriticDepth, RepresentationDim);
}

/// <summary>
/// The actor, the critic (φ and ψ), log α and their three Adam optimisers (optax defaults β = (0.9, 0.999), ε = 1e-8;
/// no clipping, decay or schedule — algorithm.md §2.4), changed only by <see cref="Update"/>.
/// </summary>
public sealed class CrlAgent : IDisposable
{
    public CrlAgent(CrlAgentSpec spec, Device device)
    {
        Spec = spec;
        Device = device;
        Actor = new GaussianActor(spec.ObservationDim, spec.ActionDim, spec.ActorWidth, spec.ActorDepth, spec.Activation, spec.Residual);
        Critic = new ContrastiveCritic(spec.StateDim, spec.ActionDim, spec.GoalDim, spec.CriticWidth, spec.CriticDepth,
            spec.RepresentationDim, spec.Activation, spec.Residual);
        Actor.to(device);
        Critic.to(device);
        // log α starts at 0 (α = 1), algorithm.md §2.3.
        LogAlpha = new TorchSharp.Modules.Parameter(zeros(1, device: device));
        ActorOptimizer = new FlatAdam(Actor.parameters(), spec.ActorLr);
        criticParameters = [.. Critic.parameters()];
        CriticOptimizer = new FlatAdam(criticParameters, spec.CriticLr);
        AlphaOptimizer = new FlatAdam([LogAlpha], spec.AlphaLr);
        TargetEntropy = CrlLosses.TargetEntropy(spec.ActionDim, spec.EntropyParam);
        ActivationCheckpointing = spec.ActivationCheckpointing;
    }

    /// <summary>
    /// Whether the three trunks recompute their blocks in backward; starts as the spec says. Changes memory and time
    /// only, so it may change between updates (the benchmark times both on the same weights).
    /// </summary>
    public bool ActivationCheckpointing
    {
        get => Actor.Trunk.ActivationCheckpointing;
        set
        {
            foreach (var trunk in new[] { Actor.Trunk, Critic.SaEncoder.Trunk, Critic.GEncoder.Trunk })
                trunk.ActivationCheckpointing = value;
        }
    }

    // Listed once rather than walking the module tree twice per update.
    private readonly TorchSharp.Modules.Parameter[] criticParameters;

    public CrlAgentSpec Spec { get; }
    public Device Device { get; }
    public GaussianActor Actor { get; }
    public ContrastiveCritic Critic { get; }
    public TorchSharp.Modules.Parameter LogAlpha { get; }
    public FlatAdam ActorOptimizer { get; }
    public FlatAdam CriticOptimizer { get; }
    public FlatAdam AlphaOptimizer { get; }
    public double TargetEntropy { get; }

    /// <summary>
    /// One SGD step of scaled CRL (algorithm.md §2.4): actor, then α, then critic, all on the same relabelled minibatch.
    /// </summary>
    /// <param name="observation">(B, state_dim + goal_dim): state ‖ hindsight goal.</param>
    /// <param name="action">(B, action_dim): the action taken in that state.</param>
    /// <returns>This update's metrics, detached and still on the device (in the caller's dispose scope).</returns>
    public CrlUpdateMetrics Update(Tensor observation, Tensor action)
    {
        using var scope = NewDisposeScope();
        var state = observation.narrow(1, 0, Spec.StateDim);
        var goal = observation.narrow(1, Spec.StateDim, Spec.GoalDim);

        // ψ(g) depends only on critic weights, which the actor and α steps leave untouched, so one forward pass serves
        // both the actor's Q (detached) and the critic loss (with its graph) — the same values scaling-crl computes twice.
        var psi = Critic.Psi(goal);

        // Actor (algorithm.md §2.2): maximise the current critic at the relabelled goal; gradients reach the actor only.
        var alpha = LogAlpha.exp().detach();
        var (sampled, logProb) = Actor.Sample(observation);
        Tensor actorLoss;
        SetCriticTrainable(false);
        try
        {
            var q = CrlLosses.PairEnergy(Critic.Phi(state, sampled), psi.detach());
            actorLoss = Spec.Entropy ? CrlLosses.ActorLoss(alpha, logProb, q) : CrlLosses.ActorLossWithoutEntropy(q);
            ActorOptimizer.ZeroGrad();
            actorLoss.backward();
        }
        finally
        {
            SetCriticTrainable(true);
        }
        ActorOptimizer.Step();

        // α (algorithm.md §2.3), from the same sample's log-probability. Without the entropy term α has no use, so it stays
        // at 1 (scaling-crl still steps it; nothing reads it). Its loss is still reported: how far the policy's
        // entropy is from the target.
        var alphaLoss = CrlLosses.AlphaLoss(LogAlpha, logProb, TargetEntropy);
        if (Spec.Entropy)
        {
            AlphaOptimizer.ZeroGrad();
            alphaLoss.backward();
            AlphaOptimizer.Step();
        }

        // Critic (algorithm.md §2.1): forward InfoNCE over the batch + logsumexp penalty.
        var logits = CrlLosses.Energy(Critic.Phi(state, action), psi);
        var criticLoss = CrlLosses.CriticLoss(logits, Spec.LogsumexpPenaltyCoeff);
        CriticOptimizer.ZeroGrad();
        criticLoss.backward();
        CriticOptimizer.Step();

        using (no_grad())
        {
            static Tensor Keep(Tensor t) => t.detach().MoveToOuterDisposeScope();
            var (accuracy, logitsPos, logitsNeg) = CrlLosses.ContrastiveDiagnostics(logits);
            return new CrlUpdateMetrics(
                CriticLoss: Keep(criticLoss), ActorLoss: Keep(actorLoss), AlphaLoss: Keep(alphaLoss),
                Alpha: Keep(alpha), LogAlpha: Keep(LogAlpha), Entropy: Keep(logProb.detach().mean().neg()),
                Logsumexp: Keep(logits.detach().logsumexp(1).mean()),
                CategoricalAccuracy: Keep(accuracy), LogitsPos: Keep(logitsPos), LogitsNeg: Keep(logitsNeg));
        }
    }

    /// <summary>
    /// Actions for a batch of observations (state ‖ goal), without gradients. <paramref name="explore"/> picks the
    /// policy's own choice: a tanh-Gaussian sample while collecting, tanh(μ) while evaluating. <c>argmax-q:K</c>
    /// samples K actions per state and keeps the one with the highest Q(s, a, g) for the observation's goal.
    /// </summary>
    /// <param name="generator">Draws <c>argmax-q</c>'s samples; null uses torch's process-wide generator.</param>
    /// <returns>(N, action_dim), in the caller's dispose scope.</returns>
    public Tensor Act(Tensor observation, ActionSelection selection, bool explore, Generator? generator = null)
    {
        using var _ = no_grad();
        if (selection.IsPolicy)
        {
            if (!explore) return Actor.Deterministic(observation);
            var (action, logProb) = Actor.Sample(observation);
            logProb.Dispose();
            return action;
        }

        using var scope = NewDisposeScope();
        long n = observation.shape[0], k = selection.Candidates;
        var (mean, logStd) = Actor.forward(observation);
        // K draws of tanh(μ + σ·ε), candidate-major: row c·N + i is candidate c for state i.
        var std = logStd.exp().repeat(k, 1);
        var noise = randn(std.shape, dtype: std.dtype, device: std.device, generator: generator);
        var candidates = mean.repeat(k, 1).Plus(std * noise).tanh();
        var state = observation.narrow(1, 0, Spec.StateDim);
        var goal = observation.narrow(1, Spec.StateDim, Spec.GoalDim);
        var psi = Critic.Psi(goal).repeat(k, 1);
        var q = CrlLosses.PairEnergy(Critic.Phi(state.repeat(k, 1), candidates), psi).view(k, n);
        var best = q.argmax(0).view(1, n, 1).expand(1, n, Spec.ActionDim);
        return candidates.view(k, n, Spec.ActionDim).gather(0, best).squeeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>Turns the critic's weight gradients off while the actor loss back-propagates through φ (algorithm.md §2.2).</summary>
    public void SetCriticTrainable(bool trainable)
    {
        foreach (var p in criticParameters) p.requires_grad = trainable;
    }

    public void Dispose()
    {
        ActorOptimizer.Dispose();
        CriticOptimizer.Dispose();
        AlphaOptimizer.Dispose();
        LogAlpha.Dispose();
        Actor.Dispose();
        Critic.Dispose();
    }
}

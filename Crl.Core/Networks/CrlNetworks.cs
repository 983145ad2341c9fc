using Crl.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

// The networks of algorithm.md §1 in its order: the residual trunk (§1.1–1.2), the contrastive critic built on it (§1.3), the
// tanh-Gaussian actor built on it (§1.4) and their parameter counts (§1.5). Module field names are the checkpoint and
// policy-export keys (trunk.blocks.0.layers.3.dense.weight, critic.sa_encoder.head.bias, ...): renaming one changes the formats.
namespace Crl.Core.Networks;

/// <summary>Dense layers initialised as in scaling-crl (algorithm.md §1.1).</summary>
internal static class DenseInit
{
    /// <summary>
    /// Flax <c>variance_scaling(1/3, "fan_in", "uniform")</c> is U(−1/√fan_in, +1/√fan_in) for the kernel;
    /// the bias starts at zero (TorchSharp's default would draw it from the same uniform).
    /// </summary>
    public static nn.Module<Tensor, Tensor> Linear(long inFeatures, long outFeatures)
    {
        var linear = nn.Linear(inFeatures, outFeatures);
        using (no_grad())
        {
            var bound = 1.0 / Math.Sqrt(inFeatures);
            nn.init.uniform_(linear.weight!, -bound, bound);
            nn.init.zeros_(linear.bias!);
        }
        return linear;
    }
}

/// <summary>The trunk's nonlinearity: Swish (SiLU) in the paper's networks, ReLU in its activation ablation (scaling-crl's <c>use_relu</c>).</summary>
public enum Activation
{
    Swish,
    Relu,
}

/// <summary>Dense(width) → LayerNorm → activation: the unit every trunk layer is made of (algorithm.md §1.1).</summary>
internal sealed class DenseNormActivation : nn.Module<Tensor, Tensor>
{
    // Flax LayerNorm defaults: learned scale and bias, eps 1e-6.
    const double LayerNormEps = 1e-6;

    private readonly nn.Module<Tensor, Tensor> dense;
    private readonly nn.Module<Tensor, Tensor> norm;
    private readonly Activation activation;

    public DenseNormActivation(long inFeatures, long width, Activation activation) : base(nameof(DenseNormActivation))
    {
        dense = DenseInit.Linear(inFeatures, width);
        norm = nn.LayerNorm(width, LayerNormEps);
        this.activation = activation;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var h = dense.forward(x);
        using var n = norm.forward(h);
        return activation == Activation.Relu ? nn.functional.relu(n) : nn.functional.silu(n);
    }
}

/// <summary>
/// One residual block: 4 × (Dense → LayerNorm → activation), then the block input is added back
/// (h ← h + F(h)). There is no norm or activation after the addition (algorithm.md §1.1). Without the skip (the paper's
/// residual ablation) the block is the same four layers, so parameters and checkpoint keys do not change.
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    public const int LayersPerBlock = 4;

    private readonly nn.Module<Tensor, Tensor> layers;
    private readonly bool skip;

    public ResidualBlock(long width, Activation activation = Activation.Swish, bool skip = true) : base(nameof(ResidualBlock))
    {
        layers = nn.Sequential(Enumerable.Range(0, LayersPerBlock)
            .Select(i => ($"{i}", (nn.Module<Tensor, Tensor>)new DenseNormActivation(width, width, activation))));
        this.skip = skip;
        RegisterComponents();
    }

    public override Tensor forward(Tensor h)
    {
        if (!skip) return layers.forward(h);
        using var residual = layers.forward(h);
        return h.Plus(residual);
    }
}

/// <summary>
/// The shared body of the actor and both critic encoders: an input projection (Dense → LN → activation) followed by
/// depth/4 residual blocks. "Depth" counts only the Dense layers inside the blocks (algorithm.md §1.2), so the input
/// projection and the network's output head are extra. <paramref name="residual"/> false drops the blocks' skips
/// (the paper's residual ablation): a plain stack of depth + 1 layers.
/// </summary>
public sealed class ResidualTrunk : nn.Module<Tensor, Tensor>
{
    public const int MinDepth = 4;
    public const int MaxDepth = 1024;

    private readonly nn.Module<Tensor, Tensor> inputProjection;
    private readonly nn.Module<Tensor, Tensor> blocks;

    public ResidualTrunk(long inputDim, long width, int depth, Activation activation = Activation.Swish, bool residual = true) : base(nameof(ResidualTrunk))
    {
        if (depth < MinDepth || depth > MaxDepth || depth % ResidualBlock.LayersPerBlock != 0)
            throw new ArgumentOutOfRangeException(nameof(depth), depth,
                $"depth must be a multiple of {ResidualBlock.LayersPerBlock} in [{MinDepth}, {MaxDepth}]");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive");

        Width = width;
        Depth = depth;
        inputProjection = new DenseNormActivation(inputDim, width, activation);
        blocks = nn.Sequential(Enumerable.Range(0, depth / ResidualBlock.LayersPerBlock)
            .Select(i => ($"{i}", (nn.Module<Tensor, Tensor>)new ResidualBlock(width, activation, residual))));
        RegisterComponents();
        checkpointedBlocks = [.. blocks.children().Select(b => ((ResidualBlock)b, b.parameters().ToArray()))];
    }

    // Kept apart from the registered modules: the same blocks, listed with their parameters for BlockCheckpoint.
    private readonly (ResidualBlock, TorchSharp.Modules.Parameter[])[] checkpointedBlocks;
    private readonly BlockCheckpoint.Returned checkpointReturns = new();

    public long Width { get; }
    public int Depth { get; }

    /// <summary>
    /// Keep only each block's input while a graph is built and recompute the block in backward (the
    /// <c>activationCheckpointing</c> knob): less memory, one more forward pass, the same values and gradients.
    /// </summary>
    public bool ActivationCheckpointing { get; set; }

    public override Tensor forward(Tensor x)
    {
        using var h = inputProjection.forward(x);
        if (!ActivationCheckpointing || !is_grad_enabled()) return blocks.forward(h);
        checkpointReturns.Replace([]);
        return BlockCheckpoint.Forward(checkpointedBlocks, h, checkpointReturns);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) checkpointReturns.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>One of the critic's encoders, φ(s,a) or ψ(g): residual trunk then a linear Dense(representation) head (algorithm.md §1.3).</summary>
public sealed class ContrastiveEncoder : nn.Module<Tensor, Tensor>
{
    private readonly ResidualTrunk trunk;
    private readonly nn.Module<Tensor, Tensor> head;

    public ContrastiveEncoder(long inputDim, long width, int depth, long representationDim, Activation activation = Activation.Swish, bool residual = true) : base(nameof(ContrastiveEncoder))
    {
        trunk = new ResidualTrunk(inputDim, width, depth, activation, residual);
        head = DenseInit.Linear(width, representationDim);
        RegisterComponents();
    }

    public ResidualTrunk Trunk => trunk;

    public override Tensor forward(Tensor x)
    {
        using var h = trunk.forward(x);
        return head.forward(h);
    }
}

/// <summary>
/// The contrastive critic of algorithm.md §1.3: f(s,a,g) = −‖φ(s,a) − ψ(g)‖₂, with no target network, temperature or
/// representation normalisation. The two encoders are trained together by one optimiser.
/// </summary>
public sealed class ContrastiveCritic : nn.Module
{
    /// <summary>scaling-crl hard-codes a 64-dimensional representation.</summary>
    public const int PaperRepresentationDim = 64;

    public ContrastiveCritic(long stateDim, long actionDim, long goalDim, long width, int depth,
        long representationDim = PaperRepresentationDim, Activation activation = Activation.Swish, bool residual = true) : base(nameof(ContrastiveCritic))
    {
        StateDim = stateDim;
        RepresentationDim = representationDim;
        sa_encoder = new ContrastiveEncoder(stateDim + actionDim, width, depth, representationDim, activation, residual);
        g_encoder = new ContrastiveEncoder(goalDim, width, depth, representationDim, activation, residual);
        RegisterComponents();
    }

    // Field names are the checkpoint keys' prefixes, so they follow scaling-crl's names.
#pragma warning disable IDE1006
    private readonly ContrastiveEncoder sa_encoder;
    private readonly ContrastiveEncoder g_encoder;
#pragma warning restore IDE1006

    public long StateDim { get; }
    public long RepresentationDim { get; }
    public ContrastiveEncoder SaEncoder => sa_encoder;
    public ContrastiveEncoder GEncoder => g_encoder;

    /// <summary>φ(s, a) with s the first state_dim entries of the observation (algorithm.md §1.3: state[:obs_dim]).</summary>
    public Tensor Phi(Tensor state, Tensor action)
    {
        using var input = cat([state, action], 1);
        return sa_encoder.forward(input);
    }

    /// <summary>ψ(g).</summary>
    public Tensor Psi(Tensor goal) => g_encoder.forward(goal);
}

/// <summary>The tanh-squashed Gaussian policy distribution of algorithm.md §1.4.</summary>
public static class TanhGaussian
{
    // scaling-crl adds 1e-6 inside the log of the tanh Jacobian so a saturated action does not give −∞.
    public const double JacobianEps = 1e-6;
    static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>a = tanh(μ + σ·ε), ε ~ N(0, I), differentiable in μ and σ (reparameterisation).</summary>
    public static (Tensor Action, Tensor LogProb) Sample(Tensor mean, Tensor logStd)
    {
        using var scope = NewDisposeScope();
        var std = logStd.exp();
        var noise = randn_like(mean);
        var preTanh = mean.Plus(std * noise);
        var action = preTanh.tanh();
        var logProb = LogProb(preTanh, action, mean, logStd);
        return (action.MoveToOuterDisposeScope(), logProb.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// log π(a) = Σ_d [log N(u_d; μ_d, σ_d) − log(1 − a_d² + 1e-6)] with u the pre-tanh sample and a = tanh(u).
    /// </summary>
    public static Tensor LogProb(Tensor preTanh, Tensor action, Tensor mean, Tensor logStd)
    {
        using var scope = NewDisposeScope();
        var z = preTanh.Minus(mean) * (-logStd).exp();
        var normalLogPdf = z.Squared().Times(-0.5).Minus(logStd).Plus(-LogSqrtTwoPi);
        var jacobian = action.Squared().neg().Plus(1 + JacobianEps).log();
        return normalLogPdf.Minus(jacobian).sum(-1).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// π(a | s, g): residual trunk on state ‖ goal, then linear mean and log-std heads (algorithm.md §1.4).
/// The log-std passes through tanh and is mapped affinely into [<see cref="LogStdMin"/>, <see cref="LogStdMax"/>].
/// </summary>
public sealed class GaussianActor : nn.Module<Tensor, (Tensor Mean, Tensor LogStd)>
{
    public const double LogStdMin = -5;
    public const double LogStdMax = 2;

    private readonly ResidualTrunk trunk;
    private readonly nn.Module<Tensor, Tensor> mean;
    private readonly nn.Module<Tensor, Tensor> logStd;

    public GaussianActor(long observationDim, long actionDim, long width, int depth, Activation activation = Activation.Swish, bool residual = true) : base(nameof(GaussianActor))
    {
        trunk = new ResidualTrunk(observationDim, width, depth, activation, residual);
        mean = DenseInit.Linear(width, actionDim);
        logStd = DenseInit.Linear(width, actionDim);
        RegisterComponents();
    }

    public ResidualTrunk Trunk => trunk;

    /// <param name="observation">state ‖ goal, shape (B, state_dim + goal_dim).</param>
    public override (Tensor Mean, Tensor LogStd) forward(Tensor observation)
    {
        using var scope = NewDisposeScope();
        var h = trunk.forward(observation);
        var mu = mean.forward(h);
        var squashed = logStd.forward(h).tanh();
        var logSigma = squashed.Plus(1).Times(0.5 * (LogStdMax - LogStdMin)).Plus(LogStdMin);
        return (mu.MoveToOuterDisposeScope(), logSigma.MoveToOuterDisposeScope());
    }

    /// <summary>Exploration: a reparameterised tanh-Gaussian sample and its log-probability.</summary>
    public (Tensor Action, Tensor LogProb) Sample(Tensor observation)
    {
        var (mu, logSigma) = forward(observation);
        using (mu)
        using (logSigma)
            return TanhGaussian.Sample(mu, logSigma);
    }

    /// <summary>Evaluation (algorithm.md §1.4, <c>--eval_actor 0</c>): the deterministic action tanh(μ).</summary>
    public Tensor Deterministic(Tensor observation)
    {
        var (mu, logSigma) = forward(observation);
        logSigma.Dispose();
        using (mu) return mu.tanh();
    }
}

/// <summary>Trainable parameter counts of the three networks (algorithm.md §1.5; what <c>describe</c> prints).</summary>
public sealed record NetworkSizes(long Actor, long SaEncoder, long GEncoder)
{
    public long Total => Actor + SaEncoder + GEncoder;

    /// <summary>
    /// Counted in closed form so that <c>describe</c> answers for depth 1024 without allocating 200M parameters;
    /// tests check it against the modules' real parameter counts. The activation and the residual skips have no
    /// parameters, so they do not change the counts.
    /// </summary>
    public static NetworkSizes Of(long stateDim, long goalDim, long actionDim, long actorWidth, int actorDepth, long criticWidth, int criticDepth,
        long representationDim = ContrastiveCritic.PaperRepresentationDim) => new(
        Actor: Trunk(stateDim + goalDim, actorWidth, actorDepth) + 2 * Dense(actorWidth, actionDim),
        SaEncoder: Trunk(stateDim + actionDim, criticWidth, criticDepth) + Dense(criticWidth, representationDim),
        GEncoder: Trunk(goalDim, criticWidth, criticDepth) + Dense(criticWidth, representationDim));

    static long Dense(long fanIn, long fanOut) => fanIn * fanOut + fanOut;

    // Dense + LayerNorm (scale and bias).
    static long DenseNormActivation(long fanIn, long width) => Dense(fanIn, width) + 2 * width;

    static long Trunk(long inputDim, long width, int depth) => DenseNormActivation(inputDim, width) + depth * DenseNormActivation(width, width);
}

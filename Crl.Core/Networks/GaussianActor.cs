using Crl.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Networks;

/// <summary>
/// π(a | s, g): residual trunk on state ‖ goal, then linear mean and log-std heads (spec §1.4).
/// The log-std passes through tanh and is mapped affinely into [<see cref="LogStdMin"/>, <see cref="LogStdMax"/>].
/// </summary>
public sealed class GaussianActor : nn.Module<Tensor, (Tensor Mean, Tensor LogStd)>
{
    public const double LogStdMin = -5;
    public const double LogStdMax = 2;

    private readonly ResidualTrunk trunk;
    private readonly nn.Module<Tensor, Tensor> mean;
    private readonly nn.Module<Tensor, Tensor> logStd;

    public GaussianActor(long observationDim, long actionDim, long width, int depth) : base(nameof(GaussianActor))
    {
        trunk = new ResidualTrunk(observationDim, width, depth);
        mean = DenseInit.Linear(width, actionDim);
        logStd = DenseInit.Linear(width, actionDim);
        RegisterComponents();
    }

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

    /// <summary>Evaluation (spec §1.4, <c>--eval_actor 0</c>): the deterministic action tanh(μ).</summary>
    public Tensor Deterministic(Tensor observation)
    {
        var (mu, logSigma) = forward(observation);
        logSigma.Dispose();
        using (mu) return mu.tanh();
    }
}

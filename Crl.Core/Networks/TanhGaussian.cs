using Crl.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Networks;

/// <summary>The tanh-squashed Gaussian policy distribution of spec §1.4.</summary>
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

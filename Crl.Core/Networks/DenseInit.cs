using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Networks;

/// <summary>Dense layers initialised as in scaling-crl (spec §1.1).</summary>
public static class DenseInit
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

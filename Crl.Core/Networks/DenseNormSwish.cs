using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Networks;

/// <summary>Dense(width) → LayerNorm → Swish: the unit every trunk layer is made of (spec §1.1).</summary>
public sealed class DenseNormSwish : nn.Module<Tensor, Tensor>
{
    // Flax LayerNorm defaults: learned scale and bias, eps 1e-6.
    const double LayerNormEps = 1e-6;

    private readonly nn.Module<Tensor, Tensor> dense;
    private readonly nn.Module<Tensor, Tensor> norm;

    public DenseNormSwish(long inFeatures, long width) : base(nameof(DenseNormSwish))
    {
        dense = DenseInit.Linear(inFeatures, width);
        norm = nn.LayerNorm(width, LayerNormEps);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var h = dense.forward(x);
        using var n = norm.forward(h);
        return nn.functional.silu(n);
    }
}

using Crl.Core.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Networks;

/// <summary>
/// One residual block: 4 × (Dense → LayerNorm → Swish), then the block input is added back
/// (h ← h + F(h)). There is no norm or activation after the addition (spec §1.1).
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    public const int LayersPerBlock = 4;

    private readonly nn.Module<Tensor, Tensor> layers;

    public ResidualBlock(long width) : base(nameof(ResidualBlock))
    {
        layers = nn.Sequential(Enumerable.Range(0, LayersPerBlock)
            .Select(i => ($"{i}", (nn.Module<Tensor, Tensor>)new DenseNormSwish(width, width))));
        RegisterComponents();
    }

    public override Tensor forward(Tensor h)
    {
        using var residual = layers.forward(h);
        return h.Plus(residual);
    }
}

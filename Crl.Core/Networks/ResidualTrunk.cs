using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Networks;

/// <summary>
/// The shared body of the actor and both critic encoders: an input projection (Dense → LN → Swish) followed by
/// depth/4 residual blocks. "Depth" counts only the Dense layers inside the blocks (spec §1.2), so the input
/// projection and the network's output head are extra.
/// </summary>
public sealed class ResidualTrunk : nn.Module<Tensor, Tensor>
{
    public const int MinDepth = 4;
    public const int MaxDepth = 1024;

    private readonly nn.Module<Tensor, Tensor> inputProjection;
    private readonly nn.Module<Tensor, Tensor> blocks;

    public ResidualTrunk(long inputDim, long width, int depth) : base(nameof(ResidualTrunk))
    {
        if (depth < MinDepth || depth > MaxDepth || depth % ResidualBlock.LayersPerBlock != 0)
            throw new ArgumentOutOfRangeException(nameof(depth), depth,
                $"depth must be a multiple of {ResidualBlock.LayersPerBlock} in [{MinDepth}, {MaxDepth}]");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive");

        Width = width;
        Depth = depth;
        inputProjection = new DenseNormSwish(inputDim, width);
        blocks = nn.Sequential(Enumerable.Range(0, depth / ResidualBlock.LayersPerBlock)
            .Select(i => ($"{i}", (nn.Module<Tensor, Tensor>)new ResidualBlock(width))));
        RegisterComponents();
    }

    public long Width { get; }
    public int Depth { get; }

    public override Tensor forward(Tensor x)
    {
        using var h = inputProjection.forward(x);
        return blocks.forward(h);
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Networks;

/// <summary>One of the critic's encoders, φ(s,a) or ψ(g): residual trunk then a linear Dense(64) head (spec §1.3).</summary>
public sealed class ContrastiveEncoder : nn.Module<Tensor, Tensor>
{
    private readonly ResidualTrunk trunk;
    private readonly nn.Module<Tensor, Tensor> head;

    public ContrastiveEncoder(long inputDim, long width, int depth, long representationDim) : base(nameof(ContrastiveEncoder))
    {
        trunk = new ResidualTrunk(inputDim, width, depth);
        head = DenseInit.Linear(width, representationDim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var h = trunk.forward(x);
        return head.forward(h);
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Networks;

/// <summary>
/// The contrastive critic of spec §1.3: f(s,a,g) = −‖φ(s,a) − ψ(g)‖₂, with no target network, temperature or
/// representation normalisation. The two encoders are trained together by one optimiser.
/// </summary>
public sealed class ContrastiveCritic : nn.Module
{
    /// <summary>scaling-crl hard-codes a 64-dimensional representation.</summary>
    public const int RepresentationDim = 64;

    public ContrastiveCritic(long stateDim, long actionDim, long goalDim, long width, int depth) : base(nameof(ContrastiveCritic))
    {
        StateDim = stateDim;
        sa_encoder = new ContrastiveEncoder(stateDim + actionDim, width, depth, RepresentationDim);
        g_encoder = new ContrastiveEncoder(goalDim, width, depth, RepresentationDim);
        RegisterComponents();
    }

    // Field names are the checkpoint keys' prefixes, so they follow the spec's (and scaling-crl's) names.
#pragma warning disable IDE1006
    private readonly ContrastiveEncoder sa_encoder;
    private readonly ContrastiveEncoder g_encoder;
#pragma warning restore IDE1006

    public long StateDim { get; }
    public ContrastiveEncoder SaEncoder => sa_encoder;
    public ContrastiveEncoder GEncoder => g_encoder;

    /// <summary>φ(s, a) with s the first state_dim entries of the observation (spec §1.3: state[:obs_dim]).</summary>
    public Tensor Phi(Tensor state, Tensor action)
    {
        using var input = cat([state, action], 1);
        return sa_encoder.forward(input);
    }

    /// <summary>ψ(g).</summary>
    public Tensor Psi(Tensor goal) => g_encoder.forward(goal);
}

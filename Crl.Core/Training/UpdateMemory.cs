using Crl.Core.Algorithms;
using Crl.Core.Environments;
using Crl.Core.Networks;

namespace Crl.Core.Training;

/// <summary>
/// Predicted peak memory of one update, in bytes of float32: what lives across updates (the parameters, their gradient
/// buffer and Adam's two moments, <see cref="FlatAdam"/>) and what one update adds at its peak (the activations autograd
/// saves, plus the backward pass's working set). The launch preview shows it and the <c>trainer</c> benchmark measures
/// it; the activation figure is what <c>activationCheckpointing</c> shrinks.
/// </summary>
/// <param name="StateBytes">Parameters, gradients and Adam's two moments (4 floats per parameter), and the denominator
/// buffer <see cref="FlatAdam"/> keeps across steps (one chunk on a CPU, one float per parameter on a GPU).</param>
/// <param name="ActivationBytes">At the actor phase's backward: the three trunks' saved activations and the backward's working set.</param>
public sealed record UpdateMemory(double StateBytes, double ActivationBytes)
{
    /// <summary>The most one update holds above the state: Adam's step works in the kept buffers, so it adds nothing.</summary>
    public double TransientBytes => ActivationBytes;

    public double PeakBytes => StateBytes + TransientBytes;

    const double Float = sizeof(float);

    public static UpdateMemory Of(CrlConfig config) =>
        Of(CrlTrainer.AgentSpec(config, EnvRegistry.Get(config.Env).Spec), config.BatchSize,
            string.Equals(config.Device, "cuda", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Saved activations per trunk layer, in B×W tensors: Dense's output (LayerNorm saves it), LayerNorm's output (Swish
    /// saves it) and the activation's output (the next Dense saves it); ReLU saves its output instead of its input, so
    /// LayerNorm's output is not kept. A residual block's sum replaces its last activation output. With checkpointing a
    /// trunk keeps its input projection's and each block's input, and the backward pass rebuilds one block at a time.
    /// The peak is the actor phase's backward: ψ(g) is kept for the critic phase, and the actor loss runs the actor and
    /// φ(s,a), so all three trunks' activations are alive at once.
    /// </summary>
    /// <param name="onGpu">Whether the update runs on a GPU, where Adam keeps a whole-buffer denominator (device <c>auto</c> counts as CPU).</param>
    public static UpdateMemory Of(CrlAgentSpec spec, int batch, bool onGpu = false)
    {
        var sizes = spec.Sizes;
        double parameters = sizes.Total + 1;
        double state = Float * (4 * parameters + (onGpu ? parameters : Math.Min(parameters, FlatAdam.ChunkLength)));

        double perLayer = spec.Activation == Activation.Relu ? 2 : 3;
        double Trunk(int width, int depth)
        {
            var blocks = depth / ResidualBlock.LayersPerBlock;
            var saved = spec.ActivationCheckpointing ? perLayer + blocks : perLayer * (depth + 1);
            return saved * batch * width * Float;
        }
        // Recomputing one block in backward holds that block's activations and its parameter gradients.
        double Recompute(int width) => spec.ActivationCheckpointing
            ? (perLayer * ResidualBlock.LayersPerBlock * batch * width + 2 * ResidualBlock.LayersPerBlock * (width * width + 3.0 * width)) * Float
            : 0;

        var psi = Trunk(spec.CriticWidth, spec.CriticDepth);
        var actorPhase = Trunk(spec.ActorWidth, spec.ActorDepth) + 2 * psi + Recompute(Math.Max(spec.ActorWidth, spec.CriticWidth));
        // Gradients flowing back through a layer (about two B×W at a time) and the B×B energy matrix with its gradient.
        var working = (2.0 * batch * Math.Max(spec.ActorWidth, spec.CriticWidth) + 4.0 * batch * batch) * Float;
        return new UpdateMemory(state, actorPhase + working);
    }
}

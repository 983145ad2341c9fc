using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Crl.Core.Networks;

/// <summary>
/// Activation checkpointing at the residual-block level: the forward pass runs each block without a graph and keeps
/// only the block's input; the backward pass runs the block again with a graph and back-propagates through that
/// recomputation. Saved activations then grow with the number of blocks instead of the number of layers, for one
/// more forward pass of every block. The recomputation is the same function on the same input, so gradients equal
/// the plain path's.
/// </summary>
internal static class BlockCheckpoint
{
    /// <summary>The blocks applied in order to <paramref name="input"/>, each checkpointed.</summary>
    /// <returns>The last block's output, in the caller's dispose scope.</returns>
    public static Tensor Forward(IReadOnlyList<(ResidualBlock Block, TorchSharp.Modules.Parameter[] Parameters)> blocks, Tensor input, Returned returned)
    {
        // The wrappers TorchSharp makes around each block's output, and the block outputs themselves, are freed here:
        // the graph holds what backward needs (each block's input).
        using var scope = NewDisposeScope();
        var h = input;
        foreach (var (block, parameters) in blocks)
            h = CheckpointedBlock.apply([block, returned, h, .. parameters]);
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Gradients a backward pass handed to libtorch. libtorch copies them as it receives them, but TorchSharp's
    /// wrappers would keep their memory until the garbage collector ran (backward on CUDA runs on threads without a
    /// dispose scope), so each backward frees the previous one's, and the trunk frees the last at its next forward.
    /// </summary>
    internal sealed class Returned : IDisposable
    {
        private readonly object gate = new();
        private List<Tensor> pending = [];

        public void Replace(List<Tensor> next)
        {
            List<Tensor> previous;
            lock (gate) (previous, pending) = (pending, next);
            foreach (var t in previous) t.Dispose();
        }

        public void Dispose() => Replace([]);
    }

    private sealed class CheckpointedBlock : SingleTensorFunction<CheckpointedBlock>
    {
        const int FirstTensor = 2;

        public override string Name => nameof(CheckpointedBlock);

        // vars: the block, the Returned holder, the block input, then the block's parameters (so that libtorch routes
        // their gradients to them). Runs with gradients off.
        public override Tensor forward(AutogradContext ctx, params object[] vars)
        {
            var input = (Tensor)vars[FirstTensor];
            ctx.save_for_backward([input]);
            ctx.save_data(nameof(ResidualBlock), vars[0]);
            ctx.save_data(nameof(Returned), vars[1]);
            // Which gradients backward owes, fixed now: the actor phase freezes the critic's weights around both passes.
            ctx.save_data(nameof(Tensor.requires_grad), vars.Skip(FirstTensor).Select(v => ((Tensor)v).requires_grad).ToArray());
            // Every output is used downstream; not materialising undefined gradients spares TorchSharp a zero buffer per block.
            ctx.set_materialize_grads(false);
            return ((ResidualBlock)vars[0]).forward(input);
        }

        public override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
        {
            var block = (ResidualBlock)ctx.get_data(nameof(ResidualBlock));
            var returned = (Returned)ctx.get_data(nameof(Returned));
            var needsGrad = (bool[])ctx.get_data(nameof(Tensor.requires_grad));
            var gradients = new List<Tensor>(new Tensor[FirstTensor + needsGrad.Length]);
            using var scope = NewDisposeScope();
            var saved = ctx.get_saved_variables();
            if (gradOutput.IsInvalid)
            {
                returned.Replace([]);
                return gradients;
            }

            var tensors = new List<Tensor>(needsGrad.Length);
            using (enable_grad())
            {
                var input = saved[0].detach().requires_grad_(needsGrad[0]);
                tensors.Add(input);
                tensors.AddRange(block.parameters());
                var wrt = tensors.Where((_, i) => needsGrad[i]).ToList();
                var output = block.forward(input);
                var grads = grad([output], wrt, [gradOutput]);
                int next = 0;
                for (int i = 0; i < needsGrad.Length; i++)
                    if (needsGrad[i]) gradients[FirstTensor + i] = grads[next++].DetachFromDisposeScope();
            }
            returned.Replace([.. gradients.Where(g => g is not null)]);
            gradOutput.Dispose();
            return gradients;
        }
    }
}

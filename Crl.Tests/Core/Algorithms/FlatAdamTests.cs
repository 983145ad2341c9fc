using Crl.Core.Algorithms;
using Crl.Core.Networks;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Crl.Tests.Core.Algorithms;

// The chunked-step test sets libtorch's process-wide thread count, so it runs with the trainer tests, alone.
[Collection(Crl.Tests.Core.Training.TrainerCollection.Name)]
public class FlatAdamTests
{
    static Tensor Loss(nn.Module<Tensor, Tensor> net, Tensor x) => net.forward(x).square().mean();

    [Fact]
    public void Takes_the_same_steps_as_libtorch_adam()
    {
        random.manual_seed(21);
        using var reference = new ResidualTrunk(3, 8, 4);
        using var flat = new ResidualTrunk(3, 8, 4);
        using (no_grad())
            foreach (var ((_, a), (_, b)) in reference.named_parameters().Zip(flat.named_parameters())) b.copy_(a);
        using var torchAdam = optim.Adam(reference.parameters(), lr: 1e-2);
        using var flatAdam = new FlatAdam(flat.parameters(), 1e-2);
        using var x = randn(16, 3);

        for (int step = 0; step < 5; step++)
        {
            torchAdam.zero_grad();
            using (var l = Loss(reference, x)) l.backward();
            torchAdam.step();
            flatAdam.ZeroGrad();
            using (var l = Loss(flat, x)) l.backward();
            flatAdam.Step();
        }

        foreach (var ((name, a), (_, b)) in reference.named_parameters().Zip(flat.named_parameters()))
            Assert.True(allclose(a, b, rtol: 1e-4, atol: 1e-6), name);
        Assert.Equal(5, flatAdam.Steps);
    }

    [Fact]
    public void Chunked_steps_give_the_same_values_bit_for_bit_as_whole_buffer_adam()
    {
        // Three chunks, the last one short and of odd length, across parameters whose borders fall inside chunks.
        long[] sizes = [FlatAdam.ChunkLength + 1000, 333, FlatAdam.ChunkLength - 1333 + 4097];
        var generator = new Generator(23);
        var parameters = sizes.Select(n => new TorchSharp.Modules.Parameter(randn(n, generator: generator))).ToArray();
        using var m = zeros(sizes.Sum());
        using var v = zeros(sizes.Sum());
        using var reference = cat([.. parameters.Select(p => p.detach())]);
        using var adam = new FlatAdam(parameters, 3e-3);
        var threads = get_num_threads();
        set_num_threads(1); // the thread count a run's determinism is promised at
        try
        {
            for (int step = 1; step <= 3; step++)
            {
                using var gradient = randn(sizes.Sum(), generator: generator);
                adam.Gradients.copy_(gradient);
                adam.Step();
                // Adam as the whole-buffer operations FlatAdam applied before it walked the buffers in chunks.
                using (no_grad())
                using (NewDisposeScope())
                {
                    m.mul_(FlatAdam.Beta1).add_(gradient, 1 - FlatAdam.Beta1);
                    v.mul_(FlatAdam.Beta2).addcmul_(gradient, gradient, 1 - FlatAdam.Beta2);
                    var denominator = v.sqrt().div_(Math.Sqrt(1 - Math.Pow(FlatAdam.Beta2, step))).add_(FlatAdam.Eps);
                    reference.addcdiv_(m, denominator, -3e-3 / (1 - Math.Pow(FlatAdam.Beta1, step)));
                }
                using var values = cat([.. parameters.Select(p => p.detach().flatten())]);
                Assert.True(values.data<float>().ToArray().SequenceEqual(reference.data<float>().ToArray()), $"step {step}: values differ from whole-buffer Adam");
            }
            var state = adam.State("a").ToDictionary(s => s.Name, s => s.Tensor);
            Assert.Equal(m.data<float>().ToArray(), state["a.exp_avg"].data<float>().ToArray());
            Assert.Equal(v.data<float>().ToArray(), state["a.exp_avg_sq"].data<float>().ToArray());
        }
        finally
        {
            set_num_threads(threads);
            foreach (var p in parameters) p.Dispose();
        }
    }

    [Fact]
    public void Gradients_accumulate_into_the_flat_buffer()
    {
        random.manual_seed(22);
        using var net = new ResidualTrunk(3, 8, 4);
        using var adam = new FlatAdam(net.parameters(), 1e-3);
        using var x = randn(4, 3);

        using (var l = Loss(net, x)) l.backward();

        using var concatenated = cat([.. net.parameters().Select(p => p.grad!.flatten())]);
        Assert.True(adam.Gradients.abs().sum().item<float>() > 0);
        Assert.True(concatenated.equal(adam.Gradients).all().item<bool>());
        adam.ZeroGrad();
        Assert.All(net.parameters(), p => Assert.Equal(0f, p.grad!.abs().sum().item<float>()));
    }
}

using Crl.Core.Algorithms;
using Crl.Core.Networks;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Crl.Tests.Core.Algorithms;

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

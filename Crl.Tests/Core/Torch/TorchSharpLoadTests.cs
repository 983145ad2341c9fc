using Crl.Core.Torch;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Crl.Tests.Core.Torch;

/// <summary>
/// libLibTorchSharp.so needs GLIBCXX_3.4.32, which Debian 12 lacks; the build marks that requirement weak.
/// If the build step regresses, every torch call in this process fails here first.
/// </summary>
public class TorchSharpLoadTests
{
    [Fact]
    public void A_matrix_product_and_its_gradient_are_computed_by_libtorch()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }, 2, 2).requires_grad_();
        var b = tensor(new float[] { 5, 6, 7, 8 }, 2, 2);
        var product = a.matmul(b);
        product.sum().backward();

        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());
        // d(sum(a·b))/da[i,k] = sum_j b[k,j]
        Assert.Equal(new float[] { 11, 15, 11, 15 }, a.grad!.data<float>().ToArray());
    }

    [Fact]
    public void The_device_setting_resolves_auto_and_cpu_and_rejects_unknown_names()
    {
        Assert.Equal(DeviceType.CPU, TorchDevice.Resolve("cpu").type);
        Assert.Equal(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, TorchDevice.Resolve("auto").type);
        var error = Assert.Throws<ArgumentException>(() => TorchDevice.Resolve("tpu"));
        Assert.Contains("auto, cpu, cuda", error.Message);
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using static TorchSharp.torch;

namespace Crl.Web.Health;

/// <summary>libtorch loads and computes: a small matrix product with a known answer.</summary>
public sealed class TorchHealthCheck : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var scope = NewDisposeScope();
            var product = ones(3, 4).matmul(ones(4, 5)).sum().item<float>();
            const float expected = 3 * 4 * 5;
            return Task.FromResult(product == expected
                ? HealthCheckResult.Healthy($"libtorch {__version__}, CUDA {(cuda.is_available() ? "available" : "not available")}")
                : HealthCheckResult.Unhealthy($"ones(3,4)·ones(4,5) summed to {product}, expected {expected}"));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"libtorch: {e.GetBaseException().Message}", e));
        }
    }
}

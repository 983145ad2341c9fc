using Crl.Jobs.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Crl.Web.Health;

/// <summary>Checkpoints and databases are written here; a read-only or vanished directory stops every run.</summary>
public sealed class DataDirectoryHealthCheck(IOptions<CrlOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var path = options.Value.DataDirectory;
        var problem = DataDirectory.TryPrepare(path);
        return Task.FromResult(problem is null
            ? HealthCheckResult.Healthy($"{path} is writable")
            : HealthCheckResult.Unhealthy($"Crl:DataDirectory '{path}' {problem}"));
    }
}

using Crl.Jobs.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Crl.Web.Health;

/// <summary>The results database answers a query against the Runs table.</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<ExperimentDb> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var runs = await db.Runs.CountAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{db.Database.GetDbConnection().DataSource}: {runs} run(s)");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"results database: {e.Message}", e);
        }
    }
}

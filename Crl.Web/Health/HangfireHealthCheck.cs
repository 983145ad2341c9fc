using Crl.Jobs.Configuration;
using Crl.Jobs.Runs;
using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Crl.Web.Health;

/// <summary>
/// Hangfire's storage answers, and at least one job server is alive to take queued runs (the in-process one when
/// <c>Crl:Workers:InProcess</c> is on, otherwise a standalone worker).
/// </summary>
public sealed class HangfireHealthCheck(JobStorage storage, IOptions<CrlOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // The same rule that decides when a worker's runs go to another one.
            var alive = JobServers.Live(storage, options.Value.Workers.LeaseTimeout).Count;
            var queued = storage.GetMonitoringApi().EnqueuedCount(RunQueue.TrainingQueue);
            var summary = $"{alive} live server(s), {queued} queued training job(s)";
            if (alive == 0)
            {
                var hint = options.Value.Workers.InProcess ? "the in-process server has not started" : "start one with 'Crl.Jobs worker'";
                return Task.FromResult(HealthCheckResult.Degraded($"{summary}: {hint}"));
            }
            return Task.FromResult(HealthCheckResult.Healthy(summary));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"Hangfire storage: {e.Message}", e));
        }
    }
}

using Crl.Jobs.Configuration;
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
    private static readonly TimeSpan ServerTimeout = TimeSpan.FromMinutes(1);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var monitoring = storage.GetMonitoringApi();
            var now = DateTime.UtcNow;
            var alive = monitoring.Servers().Count(s => s.Heartbeat is { } beat && now - beat < ServerTimeout);
            var queued = monitoring.EnqueuedCount(Crl.Jobs.Runs.RunQueue.TrainingQueue);
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

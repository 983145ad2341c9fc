using Crl.Jobs.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Runs;

/// <summary>
/// In every worker: runs whose worker died (no heartbeat within the lease timeout) go back to the queue, where the
/// dispatcher gives them a fresh job, and resume from their last checkpoint. Hangfire's SQLite storage would only
/// retry the dead worker's job after its invisibility timeout (stack.md); when that late copy starts, the lease
/// makes it a no-op.
/// </summary>
public sealed class RunRecovery(RunLease lease, IOptions<CrlOptions> options, ILogger<RunRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = options.Value.Workers.LeaseTimeout / 4;
        using var timer = new PeriodicTimer(period < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var reclaimed = await lease.ReclaimStaleAsync(stoppingToken);
                if (reclaimed.Count > 0)
                    logger.LogWarning("Re-queued run(s) {RunIds}: their worker stopped renewing the lease", string.Join(", ", reclaimed));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Looking for runs of dead workers failed; trying again");
            }
        }
    }
}

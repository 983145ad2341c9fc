using Crl.Jobs.Configuration;
using Crl.Jobs.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Runs;

/// <summary>
/// In every worker: runs whose worker died (no heartbeat within the lease timeout) go back to the queue, where the
/// dispatcher gives them a fresh job, and resume from their last checkpoint. Hangfire's SQLite storage would only
/// retry the dead worker's job after its invisibility timeout (stack.md); when that late copy starts, the lease
/// makes it a no-op.
/// </summary>
public sealed class RunRecovery(RunLease lease, IOptions<CrlOptions> options, ILogger<RunRecovery> logger) : PeriodicService(logger)
{
    // Four looks per lease timeout, but not more than one a second.
    protected override TimeSpan Period => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, (options.Value.Workers.LeaseTimeout / 4).Ticks));

    protected override string FailureMessage => "Looking for runs of dead workers failed";

    protected override async Task TickAsync(CancellationToken cancellationToken)
    {
        var reclaimed = await lease.ReclaimStaleAsync(cancellationToken);
        if (reclaimed.Count > 0)
            logger.LogWarning("Re-queued run(s) {RunIds}: their worker stopped renewing the lease", string.Join(", ", reclaimed));
    }
}

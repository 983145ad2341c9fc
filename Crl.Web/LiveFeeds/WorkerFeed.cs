using Crl.Jobs.Configuration;
using Crl.Jobs.Hosting;
using Crl.Web.Queries;
using Microsoft.Extensions.Options;

namespace Crl.Web.LiveFeeds;

/// <summary>
/// Pushes the Workers page's rows (job servers, their machines' load, the runs they train) to open pages once per
/// worker heartbeat, the rate at which workers report; with no page open it reads nothing.
/// </summary>
public sealed class WorkerFeed(WorkersQuery workers, IOptions<CrlOptions> options, ILogger<WorkerFeed> logger) : PeriodicService(logger)
{
    public event Action<IReadOnlyList<WorkerSummary>>? Changed;

    protected override TimeSpan Period => options.Value.Workers.HeartbeatInterval;

    protected override string FailureMessage => "Reading the workers failed";

    protected override async Task TickAsync(CancellationToken cancellationToken)
    {
        if (Changed is null) return;
        var rows = await workers.ListAsync(cancellationToken);
        Changed?.Invoke(rows);
    }
}

using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Resources;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Crl.Web.Queries;

/// <summary>
/// A job server as the Workers page shows it, with the runs it is training now and its machine's load (null when the
/// worker has not reported within the lease timeout).
/// </summary>
public sealed record WorkerSummary(string Name, int Slots, IReadOnlyList<string> Queues, DateTime StartedAt, DateTime? Heartbeat, IReadOnlyList<long> RunningRunIds,
    WorkerLoad? Load = null);

/// <summary>Job servers from Hangfire's storage joined with the Running runs that name them and the load their workers report.</summary>
public sealed class WorkersQuery(JobStorage storage, IDbContextFactory<ExperimentDb> dbFactory, IOptions<CrlOptions> options)
{
    /// <summary>Training slots of the job servers alive now, by the rule run leases follow.</summary>
    public int LiveSlots() => JobServers.Live(storage, options.Value.Workers.LeaseTimeout).Sum(s => s.WorkersCount);

    /// <summary>The training device and its memory of each live worker that reported them within the lease timeout.</summary>
    public IReadOnlyList<WorkerDevice> LiveDevices()
    {
        var fresh = DateTime.UtcNow - options.Value.Workers.LeaseTimeout;
        return JobServers.Live(storage, options.Value.Workers.LeaseTimeout)
            .Select(s => (Worker: JobServers.WorkerName(s.Name), Load: WorkerReporter.Read(storage, JobServers.WorkerName(s.Name))))
            .Where(w => w.Load is { Machine: { Device: not null, DeviceMemoryBytes: not null } } && w.Load.ReportedAt > fresh)
            .Select(w => new WorkerDevice(w.Worker, w.Load!.Machine.Device!, w.Load.Machine.DeviceMemoryBytes!.Value))
            .ToList();
    }

    public async Task<List<WorkerSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var running = await db.Runs.AsNoTracking()
            .Where(r => r.State == RunState.Running)
            .Select(r => new { r.Id, r.LeaseOwner })
            .ToListAsync(cancellationToken);

        var fresh = DateTime.UtcNow - options.Value.Workers.LeaseTimeout;
        return storage.GetMonitoringApi().Servers()
            .Select(s =>
            {
                var worker = JobServers.WorkerName(s.Name);
                var load = WorkerReporter.Read(storage, worker);
                return new WorkerSummary(
                    s.Name, s.WorkersCount, s.Queues.ToList(), s.StartedAt, s.Heartbeat,
                    running.Where(r => string.Equals(r.LeaseOwner, worker, StringComparison.OrdinalIgnoreCase)).Select(r => r.Id).ToList(),
                    load is { ReportedAt: var at } && at > fresh ? load : null);
            })
            .OrderBy(s => s.Name)
            .ToList();
    }
}

using System.Globalization;
using Crl.Jobs.Configuration;
using Crl.Jobs.Hosting;
using Crl.Jobs.Runs;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Resources;

/// <summary>
/// A worker's beat with its machine's load: every <c>Crl:Workers:HeartbeatInterval</c>, like the job server's own
/// heartbeat, into a hash in Hangfire's storage, beside the job servers the Workers page lists and shared by every
/// worker of a scale-out. A worker that stops beating drops off the page with its job server.
/// </summary>
public sealed class WorkerReporter(JobStorage storage, WorkerIdentity worker, IOptions<CrlOptions> options, TimeProvider clock, ILogger<WorkerReporter> logger)
    : PeriodicService(logger)
{
    private readonly MachineResources machine = new();

    // Resolved once, on the first beat: the device this worker's runs get from Crl:Training:Device, and on CUDA the
    // GPU's memory (it does not change while the worker lives).
    private (string Name, long? GpuMemoryBytes)? device;

    protected override TimeSpan Period => options.Value.Workers.HeartbeatInterval;

    protected override string FailureMessage => "Reporting this worker's load failed";

    protected override Task TickAsync(CancellationToken cancellationToken)
    {
        if (device is null)
        {
            var resolved = TrainingDevice(options.Value.Training.Device);
            device = (resolved, resolved == "cuda" ? (long?)(Nvml.FirstVisibleGpu()?.MemoryTotalMiB * 1048576) : null);
        }
        var (name, gpuMemory) = device.Value;
        var load = machine.Sample();
        load = load with { Device = name, DeviceMemoryBytes = name == "cuda" ? gpuMemory : load.MemoryTotalBytes };
        Write(storage, worker.Name, load, clock.GetUtcNow().UtcDateTime, options.Value.Workers.LeaseTimeout);
        return Task.CompletedTask;
    }

    /// <summary>
    /// <c>cpu</c> or <c>cuda</c>, as a run with <c>device auto</c> resolves on this machine, told from the build and
    /// NVML rather than from libtorch, which a worker (or the dashboard hosting one) would otherwise load only for
    /// this. A run may still ask for a device of its own; the launch preview's memory check takes the workers' own.
    /// </summary>
    private static string TrainingDevice(string setting) => setting.ToLowerInvariant() switch
    {
        "cuda" => "cuda",
        "auto" when Crl.Core.Torch.TorchDevice.BuiltWithCuda && Nvml.FirstVisibleGpu() is not null => "cuda",
        _ => "cpu",
    };

    public static void Write(JobStorage storage, string workerName, MachineLoad load, DateTime at, TimeSpan keepFor)
    {
        static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
        using var connection = storage.GetConnection();
        using var transaction = connection.CreateWriteTransaction();
        var key = Key(workerName);
        transaction.SetRangeInHash(key, new Dictionary<string, string>
        {
            [nameof(WorkerLoad.ReportedAt)] = at.ToString("O", CultureInfo.InvariantCulture),
            [nameof(MachineLoad.CpuPercent)] = Number(load.CpuPercent),
            [nameof(MachineLoad.LoadAverage)] = Number(load.LoadAverage),
            [nameof(MachineLoad.Cores)] = load.Cores.ToString(CultureInfo.InvariantCulture),
            [nameof(MachineLoad.MemoryUsedBytes)] = Number(load.MemoryUsedBytes),
            [nameof(MachineLoad.MemoryTotalBytes)] = Number(load.MemoryTotalBytes),
            [nameof(MachineLoad.Device)] = load.Device ?? "",
            [nameof(MachineLoad.DeviceMemoryBytes)] = Number(load.DeviceMemoryBytes),
        });
        // Only for tidiness: a dead worker's hash is never read, since its job server is gone from the list.
        (transaction as JobStorageTransaction)?.ExpireHash(key, keepFor * 10);
        transaction.Commit();
    }

    /// <summary>The load a worker last reported, or null when it never did.</summary>
    public static WorkerLoad? Read(JobStorage storage, string workerName)
    {
        using var connection = storage.GetConnection();
        var hash = connection.GetAllEntriesFromHash(Key(workerName));
        if (hash is null || !hash.TryGetValue(nameof(WorkerLoad.ReportedAt), out var at)) return null;
        double? Number(string field) =>
            hash.TryGetValue(field, out var text) && double.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : null;
        return new WorkerLoad(DateTime.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            new MachineLoad(Number(nameof(MachineLoad.CpuPercent)), Number(nameof(MachineLoad.LoadAverage)),
                (int)(Number(nameof(MachineLoad.Cores)) ?? 0),
                (long?)Number(nameof(MachineLoad.MemoryUsedBytes)), (long?)Number(nameof(MachineLoad.MemoryTotalBytes)),
                hash.TryGetValue(nameof(MachineLoad.Device), out var device) && device.Length > 0 ? device : null,
                (long?)Number(nameof(MachineLoad.DeviceMemoryBytes))));
    }

    // Hangfire lower-cases the names of its job servers; the key follows, so a server's name finds its worker's load.
    private static string Key(string workerName) => $"crl:worker-load:{workerName.ToLowerInvariant()}";
}

/// <summary>A worker's machine load and when it was reported.</summary>
public sealed record WorkerLoad(DateTime ReportedAt, MachineLoad Machine);

using System.Globalization;

namespace Crl.Jobs.Resources;

/// <summary>
/// The load of the machine a worker runs on, from Linux's <c>/proc</c>: CPU busy since the previous sample (% of all
/// cores, every process counted: a worker's runs train in child processes), the 1-minute load average and memory in
/// use (total less what the kernel calls available). Elsewhere every figure is null.
/// </summary>
public sealed class MachineResources
{
    private (ulong Busy, ulong Total)? lastCpu;

    public MachineLoad Sample()
    {
        double? cpu = null;
        if (ReadCpu() is { } now)
        {
            if (lastCpu is { } last && now.Total > last.Total)
                cpu = 100.0 * (now.Busy - last.Busy) / (now.Total - last.Total);
            lastCpu = now;
        }
        var memory = ReadMemory();
        return new MachineLoad(cpu, ReadLoadAverage(), Environment.ProcessorCount, memory?.Used, memory?.Total);
    }

    // First line of /proc/stat: "cpu user nice system idle iowait irq softirq steal ..." in clock ticks since boot.
    private static (ulong Busy, ulong Total)? ReadCpu()
    {
        var line = ReadFirstLine("/proc/stat");
        if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal)) return null;
        var ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(t => ulong.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var total = ticks.Aggregate(0UL, (a, b) => a + b);
        var idle = ticks[3] + (ticks.Length > 4 ? ticks[4] : 0);
        return (total - idle, total);
    }

    private static double? ReadLoadAverage() =>
        ReadFirstLine("/proc/loadavg")?.Split(' ') is [var first, ..] && double.TryParse(first, CultureInfo.InvariantCulture, out var load) ? load : null;

    private static (long Used, long Total)? ReadMemory()
    {
        if (!File.Exists("/proc/meminfo")) return null;
        long? total = null, available = null;
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            // "MemTotal:       131891234 kB"
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var kib)) continue;
            if (parts[0] == "MemTotal:") total = kib * 1024;
            else if (parts[0] == "MemAvailable:") available = kib * 1024;
        }
        return total is { } t && available is { } a ? (t - a, t) : null;
    }

    private static string? ReadFirstLine(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            return reader.ReadLine();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>A machine's load as its worker last reported it.</summary>
/// <param name="Device">Where the worker's runs train: <c>cpu</c> or <c>cuda</c>; null when not known.</param>
/// <param name="DeviceMemoryBytes">The memory a run can use there: the machine's RAM on the CPU, the GPU's memory on CUDA (NVML); null when not known.</param>
public sealed record MachineLoad(double? CpuPercent, double? LoadAverage, int Cores, long? MemoryUsedBytes, long? MemoryTotalBytes,
    string? Device = null, long? DeviceMemoryBytes = null);

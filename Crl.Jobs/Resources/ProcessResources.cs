using System.Diagnostics;
using Crl.Core.Training;

namespace Crl.Jobs.Resources;

/// <summary>
/// What this process uses, sampled with each metric report under <c>system/...</c> names: its CPU utilisation since
/// the previous sample (in % of the cores it may use), its resident memory now and at its peak, and, for a run on
/// CUDA whose machine has NVIDIA's management library, the GPU's memory in use and utilisation.
/// </summary>
public sealed class ProcessResources(bool onGpu, TimeProvider clock) : IDisposable
{
    private readonly Process process = Process.GetCurrentProcess();
    private TimeSpan lastCpu = Process.GetCurrentProcess().TotalProcessorTime;
    private long lastAt = clock.GetTimestamp();

    public IReadOnlyDictionary<string, double> Sample()
    {
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var now = clock.GetTimestamp();
        var wall = clock.GetElapsedTime(lastAt, now).TotalSeconds;
        var values = new Dictionary<string, double>
        {
            [MetricNames.ResidentMemory] = process.WorkingSet64 / 1048576.0,
            [MetricNames.PeakResidentMemory] = process.PeakWorkingSet64 / 1048576.0,
        };
        if (wall > 0)
            values[MetricNames.CpuUtilization] = 100 * (cpu - lastCpu).TotalSeconds / (wall * Environment.ProcessorCount);
        (lastCpu, lastAt) = (cpu, now);
        if (onGpu && Nvml.FirstVisibleGpu() is { } gpu)
        {
            values[MetricNames.GpuMemory] = gpu.MemoryUsedMiB;
            values[MetricNames.GpuUtilization] = gpu.UtilizationPercent;
        }
        return values;
    }

    public void Dispose() => process.Dispose();
}

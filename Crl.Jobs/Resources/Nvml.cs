using System.Runtime.InteropServices;

namespace Crl.Jobs.Resources;

/// <summary>A GPU's memory in use and utilisation, as <c>nvidia-smi</c> shows them.</summary>
public readonly record struct GpuUsage(double MemoryUsedMiB, double MemoryTotalMiB, double UtilizationPercent);

/// <summary>
/// NVIDIA's management library (<c>libnvidia-ml.so.1</c>, installed with the driver), read-only. On a machine without
/// the driver the library does not load and every answer is null: resource use is then recorded without GPU figures.
/// </summary>
public static class Nvml
{
    private const string Library = "libnvidia-ml.so.1";
    private const int Success = 0;

    private static readonly Lazy<bool> Initialized = new(() =>
    {
        try
        {
            return nvmlInit_v2() == Success;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    });

    public static bool Available => Initialized.Value;

    /// <summary>
    /// The GPU a CUDA process of this machine trains on: CUDA's device 0, which is the first entry of
    /// <c>CUDA_VISIBLE_DEVICES</c> (an index or a <c>GPU-…</c> UUID) when that is set, else NVML's device 0.
    /// </summary>
    public static GpuUsage? FirstVisibleGpu()
    {
        if (!Available) return null;
        var visible = Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES")?.Split(',')[0].Trim();
        IntPtr device;
        int status = visible is { Length: > 0 } && !uint.TryParse(visible, out _)
            ? nvmlDeviceGetHandleByUUID(visible, out device)
            : nvmlDeviceGetHandleByIndex_v2(visible is { Length: > 0 } ? uint.Parse(visible) : 0, out device);
        if (status != Success) return null;
        if (nvmlDeviceGetMemoryInfo(device, out var memory) != Success) return null;
        if (nvmlDeviceGetUtilizationRates(device, out var utilization) != Success) return null;
        return new GpuUsage(memory.Used / 1048576.0, memory.Total / 1048576.0, utilization.Gpu);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Memory
    {
        public ulong Total, Free, Used;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Utilization
    {
        public uint Gpu, Memory;
    }

    [DllImport(Library)]
    private static extern int nvmlInit_v2();

    [DllImport(Library)]
    private static extern int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr device);

    [DllImport(Library)]
    private static extern int nvmlDeviceGetHandleByUUID([MarshalAs(UnmanagedType.LPUTF8Str)] string uuid, out IntPtr device);

    [DllImport(Library)]
    private static extern int nvmlDeviceGetMemoryInfo(IntPtr device, out Memory memory);

    [DllImport(Library)]
    private static extern int nvmlDeviceGetUtilizationRates(IntPtr device, out Utilization utilization);
}

using Crl.Core.Torch;

namespace Crl.Benchmarks.Trainer;

/// <summary>
/// Peak resident memory of one piece of work above the resident memory before it, from Linux's /proc. The kernel keeps
/// a high-water mark of resident memory (VmHWM in /proc/self/status); writing "5" to /proc/self/clear_refs resets it to
/// the current resident size (Linux ≥ 4.0), so the mark read after the work is the work's own peak. Memory the heap
/// kept from earlier work would hide that peak (it is already resident and is reused), so free heap memory is handed
/// back to the kernel first and the managed heap is collected.
/// </summary>
public static class PeakMemory
{
    const string Status = "/proc/self/status", ClearRefs = "/proc/self/clear_refs";

    /// <summary>Runs <paramref name="work"/> once and measures the resident memory it added at its peak.</summary>
    /// <returns>Bytes; null on a GPU (the work's memory is the device's) and where /proc does not offer the high-water
    /// mark or its reset.</returns>
    public static long? PeakAbove(Action work, TorchSharp.torch.Device device)
    {
        if (device.type != TorchSharp.DeviceType.CPU || !File.Exists(ClearRefs) || StatusBytes("VmHWM") is null)
        {
            work();
            return null;
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        NativeHeap.Trim();
        var before = StatusBytes("VmRSS");
        try
        {
            File.WriteAllText(ClearRefs, "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            work();
            return null;
        }
        work();
        var peak = StatusBytes("VmHWM");
        return peak - before;
    }

    /// <summary>Bytes as every trainer benchmark prints them: MiB with <paramref name="decimals"/> decimals, right-aligned to <paramref name="width"/>; "n/a" for none.</summary>
    public static string Mib(double? bytes, int width = 0, int decimals = 0) =>
        (bytes is { } b ? (b / 1048576.0).ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture) + " MiB" : "n/a").PadLeft(width);

    /// <summary>A "Name:   123 kB" line of /proc/self/status, in bytes.</summary>
    static long? StatusBytes(string name)
    {
        foreach (var line in File.ReadLines(Status))
        {
            if (!line.StartsWith(name + ":", StringComparison.Ordinal)) continue;
            var fields = line[(name.Length + 1)..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return fields.Length == 2 && fields[1] == "kB" && long.TryParse(fields[0], out var kb) ? kb * 1024 : null;
        }
        return null;
    }
}

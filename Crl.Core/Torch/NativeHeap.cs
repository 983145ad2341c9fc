using System.Runtime.InteropServices;

namespace Crl.Core.Torch;

/// <summary>
/// glibc's malloc settings for a process that trains. libtorch's CPU tensors come from malloc, and one update allocates
/// and frees every layer's activations and gradients (256 KiB each at width 256, batch 256). With glibc's defaults a
/// block of that size is mapped fresh from the kernel (the mmap threshold starts at 128 KiB), and memory freed at the
/// top of the heap goes back to the kernel once it exceeds the trim threshold, so every update faults in and zeroes
/// pages that the previous update just returned, and its tensors start out of cache. <see cref="KeepFreedMemory"/>
/// fixes both thresholds at process start: blocks up to <see cref="MmapThreshold"/> come from the heap, and freed heap
/// memory stays in the process for the next update (the same trade PyTorch's caching allocator makes on a GPU). The
/// process's resident memory then stays at its peak instead of falling between updates.
/// </summary>
public static class NativeHeap
{
    // mallopt's parameter numbers (malloc.h).
    const int MTrimThreshold = -1, MTopPad = -2, MMmapThreshold = -3;

    /// <summary>The largest block taken from the heap: glibc's mallopt refuses more than half its 64 MiB heap size.</summary>
    public const int MmapThreshold = 32 << 20;

    /// <summary>Free memory at the top of the heap is returned only beyond this (about what a depth-1024 update frees).</summary>
    public const int TrimThreshold = int.MaxValue;

    /// <summary>Each time the heap grows it takes this much more, so an update's first allocations do not each move the break.</summary>
    public const int TopPad = 64 << 20;

    /// <summary>Set by the environment variable of that name to <c>0</c>: leave glibc's defaults (to measure the difference).</summary>
    public const string SwitchVariable = "CRL_KEEP_FREED_MEMORY";

    /// <summary>
    /// Applies the settings above on glibc; elsewhere, or with <see cref="SwitchVariable"/>=0, does nothing.
    /// Call once at the start of a process that trains, before the first update.
    /// </summary>
    /// <returns>Whether the settings are in force.</returns>
    public static bool KeepFreedMemory()
    {
        if (Environment.GetEnvironmentVariable(SwitchVariable) == "0" || !IsGlibc) return false;
        return Mallopt(MMmapThreshold, MmapThreshold) == 1
            & Mallopt(MTrimThreshold, TrimThreshold) == 1
            & Mallopt(MTopPad, TopPad) == 1;
    }

    /// <summary>Returns free heap memory to the kernel (glibc's malloc_trim), so resident memory counts only live blocks.</summary>
    public static void Trim()
    {
        if (IsGlibc) MallocTrim(0);
    }

    static bool IsGlibc => OperatingSystem.IsLinux() && GnuLibcVersion() is not null;

    static string? GnuLibcVersion()
    {
        try
        {
            return Marshal.PtrToStringAnsi(GnuGetLibcVersion());
        }
        catch (EntryPointNotFoundException)
        {
            return null; // musl
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static extern IntPtr GnuGetLibcVersion();
}

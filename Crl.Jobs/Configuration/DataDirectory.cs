using System.Runtime.InteropServices;

namespace Crl.Jobs.Configuration;

/// <summary>
/// The data directory: created on demand, owner-only, and proven writable by writing a probe file. It holds the
/// databases, checkpoints, run files and the cookie-signing keys, none of which other accounts on the machine may read.
/// </summary>
public static class DataDirectory
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates the directory if needed (mode 700, and tightens an older one left open to others) and writes a probe
    /// file; returns why it is unusable, or null. From here on the process creates every file 600 and every folder 700.
    /// </summary>
    public static string? TryPrepare(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) return "is empty; set it to a writable directory";
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                // SQLite, Hangfire, the key ring and the trainer each create their own files, so the process-wide file
                // creation mask is the one place that reaches them all, training processes included (they inherit it).
                _ = UMask(0b000_111_111);
                Directory.CreateDirectory(path, OwnerOnly);
                if ((File.GetUnixFileMode(path) & ~OwnerOnly) != 0) TryRestrict(path);
            }
            var probe = Path.Combine(path, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"is not a writable directory: {e.Message}";
        }
    }

    // A directory another account owns (a shared mount set up by an administrator) keeps the modes they chose.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void TryRestrict(string path)
    {
        try
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint UMask(uint mask);
}

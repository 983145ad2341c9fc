namespace Crl.Jobs.Configuration;

/// <summary>The data directory: created on demand and proven writable by writing a probe file.</summary>
public static class DataDirectory
{
    /// <summary>Creates the directory if needed and writes a probe file; returns why it is unusable, or null.</summary>
    public static string? TryPrepare(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) return "is empty; set it to a writable directory";
        try
        {
            Directory.CreateDirectory(path);
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
}

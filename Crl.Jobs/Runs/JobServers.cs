using Hangfire;
using Hangfire.Storage.Monitoring;

namespace Crl.Jobs.Runs;

/// <summary>
/// Hangfire job servers that are still alive. Workers beat every <c>Crl:Workers:HeartbeatInterval</c> (see
/// <c>AddCrlJobs</c>); one silent for <c>Crl:Workers:LeaseTimeout</c> counts as dead, the rule Run leases follow.
/// </summary>
public static class JobServers
{
    public static List<ServerDto> Live(JobStorage storage, TimeSpan timeout)
    {
        var now = DateTime.UtcNow;
        return storage.GetMonitoringApi().Servers().Where(s => s.Heartbeat is { } beat && now - beat < timeout).ToList();
    }

    /// <summary>
    /// The worker a job server belongs to: Hangfire names a server after it, adding its process id and a GUID
    /// (<c>gpu-3:4896:1bb7fa27-...</c>).
    /// </summary>
    public static string WorkerName(string serverName) => HangfireSuffix.Replace(serverName, "");

    private static readonly System.Text.RegularExpressions.Regex HangfireSuffix =
        new(@"(:\d+)?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
}

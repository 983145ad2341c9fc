using System.Diagnostics;
using System.Runtime.InteropServices;
using Crl.Jobs.Configuration;
using Crl.Jobs.Hosting;
using Microsoft.Extensions.Configuration;

namespace Crl.Jobs.Runs;

/// <summary>
/// One run trained in its own process (<c>Crl.Jobs execute --run-id N</c>): a native crash in libtorch kills one
/// run, not the worker; a stop that does not come in time ends with a kill; native memory goes back when it exits.
/// The child sees exactly the worker's effective <c>Crl</c> settings, wherever the worker got them (appsettings.json,
/// environment, command line, a test's in-memory overrides), passed as environment variables. It stops when it reads
/// "stop" on its standard input, or when that input closes because the worker died.
/// </summary>
public sealed class TrainingProcess : IDisposable
{
    private const int ErrorLinesKept = 20;
    private readonly Process process;
    private readonly Queue<string> errorTail = new();

    private TrainingProcess(Process process, Action<string> log)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log(e.Data); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            log(e.Data);
            lock (errorTail)
            {
                errorTail.Enqueue(e.Data);
                if (errorTail.Count > ErrorLinesKept) errorTail.Dequeue();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static TrainingProcess Start(long runId, string leaseOwner, IConfiguration configuration, CrlOptions options, Action<string> log)
    {
        var start = new ProcessStartInfo(DotnetHost(),
            [Path.Combine(AppContext.BaseDirectory, "Crl.Jobs.dll"), ExecuteVerb, "--run-id", runId.ToString(), "--lease-owner", leaseOwner])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        DropInherited(start.Environment);
        foreach (var (key, value) in Settings(configuration, options)) start.Environment[key] = value;
        return new TrainingProcess(Process.Start(start) ?? throw new InvalidOperationException("the training process did not start"), log);
    }

    public const string ExecuteVerb = "execute";

    public Task WaitForExitAsync() => process.WaitForExitAsync();

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public void RequestStop()
    {
        try
        {
            process.StandardInput.WriteLine(StopCommand);
            process.StandardInput.Flush();
        }
        catch (IOException) { /* already gone */ }
        catch (InvalidOperationException) { }
    }

    public const string StopCommand = "stop";

    public void Kill()
    {
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* already exited */ }
    }

    /// <summary>The child's last lines on standard error; a failed run's message comes from here.</summary>
    public string ErrorTail()
    {
        lock (errorTail) return string.Join(Environment.NewLine, errorTail);
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    /// <summary>
    /// Every <c>Crl:*</c> key of the worker's configuration as a <c>Crl__*</c> variable (they carry secrets such as
    /// connection strings: never log them).
    /// </summary>
    private static Dictionary<string, string> Settings(IConfiguration configuration, CrlOptions options)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configuration.GetSection(CrlOptions.Section).AsEnumerable())
            if (value is not null) settings[key.Replace(ConfigurationPath.KeyDelimiter, EnvironmentDelimiter)] = value;
        // Resolved against the worker's content root, which need not be the child's (a web server's, a test host's).
        settings[$"{CrlOptions.Section}{EnvironmentDelimiter}{nameof(CrlOptions.DataDirectory)}"] = options.DataDirectory;
        return settings;
    }

    private const string EnvironmentDelimiter = "__";

    // The worker's own Crl__* variables are already in its configuration; dropped from the child's copy of its
    // environment, one that the worker's command line overrode cannot reach the child under another spelling.
    private static void DropInherited(IDictionary<string, string?> environment)
    {
        foreach (var name in environment.Keys.Where(IsCrlVariable).ToList()) environment.Remove(name);
    }

    private static bool IsCrlVariable(string name) =>
        name.StartsWith(CrlOptions.Section + EnvironmentDelimiter, StringComparison.OrdinalIgnoreCase);

    // The worker may run as "dotnet app.dll", as an apphost, or inside a test host: the muxer beside the running
    // runtime is the one host that is always there.
    private static string DotnetHost()
    {
        var muxer = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
        return File.Exists(muxer) ? muxer : "dotnet";
    }
}

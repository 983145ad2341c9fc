using System.Diagnostics;
using System.Text;

namespace Crl.Tests.Support;

/// <summary>A standalone <c>Crl.Jobs worker</c> process against a dashboard's data directory.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private WorkerProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static WorkerProcess Start(string name, string dataDirectory, IDictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Crl.Jobs.dll"), "worker", "--name", name])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Crl__DataDirectory"] = dataDirectory;
        start.Environment["Crl__Training__Device"] = "cpu";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        return new WorkerProcess(Process.Start(start)!);
    }

    public int Id => process.Id;

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would: no shutdown code runs.</summary>
    public void KillHard() => process.Kill(entireProcessTree: false);

    public void Dispose()
    {
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        process.WaitForExit(10_000);
        process.Dispose();
    }
}

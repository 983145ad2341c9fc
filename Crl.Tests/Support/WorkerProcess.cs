namespace Crl.Tests.Support;

/// <summary>A standalone <c>Crl.Jobs worker</c> process against a dashboard's data directory.</summary>
public static class WorkerProcess
{
    /// <param name="settings">Configuration keys (<c>Crl:Workers:Slots</c>), given to the worker as environment variables.</param>
    /// <param name="commandLine">More arguments after <c>worker --name NAME</c>, such as <c>--Crl:Training:Threads=1</c>.</param>
    public static ChildProcess Start(string name, string dataDirectory, IDictionary<string, string?> settings, params string[] commandLine)
    {
        var environment = new Dictionary<string, string?>
        {
            ["Crl__DataDirectory"] = dataDirectory,
            ["Crl__Training__Device"] = "cpu",
        };
        foreach (var (key, value) in settings) environment[key.Replace(":", "__")] = value;
        return ChildProcess.StartDotnet("Crl.Jobs.dll", ["worker", "--name", name, .. commandLine], environment);
    }
}

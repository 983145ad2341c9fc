using System.Net;
using System.Net.Sockets;
using Crl.Tests.Support;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>A standalone worker pointed at PostgreSQL wrongly stops with one line naming the setting (exit code 2).</summary>
[Trait(Lanes.Trait, Lanes.Slow)]
public sealed class WorkerStartupTests : IDisposable
{
    private readonly TempDirectory temp = new();

    [Fact]
    public async Task Postgres_without_a_connection_string_is_refused_before_anything_starts()
    {
        var (exitCode, stdout, stderr) = await RunWorkerAsync(("Crl__Database__Provider", "Postgres"));

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Configuration error: Crl:Database:ConnectionString is required when Crl:Database:Provider is Postgres", line);
        Assert.DoesNotContain("   at ", stdout + stderr);
    }

    [Fact]
    public async Task A_postgres_server_that_does_not_answer_is_reported_with_the_settings_to_check()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var (exitCode, _, stderr) = await RunWorkerAsync(
            ("Crl__Database__Provider", "Postgres"),
            ("Crl__Database__ConnectionString", $"Host=127.0.0.1;Port={port};Database=crl;Username=crl"));

        Assert.Equal(2, exitCode);
        Assert.Equal(
            $"Database error: Failed to connect to 127.0.0.1:{port}; check Crl:Database:ConnectionString (and Crl:Hangfire:ConnectionString if set)",
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunWorkerAsync(params (string Name, string Value)[] environment)
    {
        var settings = new Dictionary<string, string?> { ["Crl__DataDirectory"] = temp.Combine("data") };
        foreach (var (name, value) in environment) settings[name] = value;
        using var worker = ChildProcess.StartDotnet("Crl.Jobs.dll", ["worker"], settings);
        var (exitCode, stdout, stderr) = await worker.WaitForExitAsync(TimeSpan.FromSeconds(90));
        return (exitCode, stdout, stderr);
    }

    public void Dispose() => temp.Dispose();
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Crl.Tests.Support;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>A standalone worker pointed at PostgreSQL wrongly stops with one line naming the setting (exit code 2).</summary>
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
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Crl.Jobs.dll"), "worker"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Crl__DataDirectory"] = temp.Combine("data");
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the worker kept running despite the bad configuration");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => temp.Dispose();
}

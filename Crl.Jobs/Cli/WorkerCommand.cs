using System.CommandLine;
using Crl.Jobs.Configuration;
using Crl.Jobs.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Cli;

/// <summary><c>worker</c>: a Hangfire job server without the web UI, against the storage in appsettings.json.</summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var slots = new Option<int?>("--slots") { Description = "Concurrent training runs (overrides Crl:Workers:Slots)" };
        var name = new Option<string?>("--name") { Description = "Worker name shown on runs (overrides Crl:Workers:Name)" };
        var command = new Command("worker", "Run a job server that trains queued runs; any setting may follow as --Crl:Key=value")
        {
            slots, name,
        };
        // Settings are not options of this command: they go to the configuration, as they do for the web server.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellation) =>
        {
            var settings = parse.UnmatchedTokens.ToArray();
            if (SettingArguments.FirstStray(settings) is { } stray)
            {
                Console.Error.WriteLine($"Unrecognized argument '{stray}': the worker takes --slots, --name and settings such as --{CrlOptions.Section}:Training:Threads=2");
                return Task.FromResult(StartupFailure.ConfigurationErrorExitCode);
            }
            var overrides = new Dictionary<string, string?>();
            if (parse.GetValue(slots) is { } s) overrides["Crl:Workers:Slots"] = s.ToString();
            if (parse.GetValue(name) is { } n) overrides["Crl:Workers:Name"] = n;
            return StartupFailure.GuardAsync(() => RunAsync(overrides, settings, cancellation));
        });
        return command;
    }

    private static async Task RunAsync(Dictionary<string, string?> overrides, string[] settings, CancellationToken cancellation)
    {
        var builder = CrlHost.CreateBuilder(overrides, settings);
        builder.Services.AddCrlJobs(runWorker: true);
        using var host = builder.Build();
        // Validate before the host starts, so a bad setting is the one line StartupFailure prints and not also the
        // host's "failed to start" log with a stack trace.
        _ = host.Services.GetRequiredService<IOptions<CrlOptions>>().Value;
        await host.RunAsync(cancellation);
    }
}

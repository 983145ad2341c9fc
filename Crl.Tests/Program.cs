using System.CommandLine;
using Crl.Tests.Benchmarks;

namespace Crl.Tests;

/// <summary>
/// <c>dotnet run --project Crl.Tests -c Release -- bench dashboard</c>: benchmarks that need the test harness (the real
/// dashboard on a temporary data directory, headless Chromium). The tests themselves run under <c>dotnet test</c>,
/// which never calls this entry point.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var runPages = new Option<int>("--run-pages") { Description = "Run pages open at once, each with 11 live curves", DefaultValueFactory = _ => 2 };
        var history = new Option<int>("--history-points") { Description = "Stored points per curve before the page opens", DefaultValueFactory = _ => 2000 };
        var rounds = new Option<int>("--rounds") { Description = "Live points per curve", DefaultValueFactory = _ => 40 };
        var interval = new Option<int>("--interval-ms") { Description = "Milliseconds between live points", DefaultValueFactory = _ => 500 };
        var dashboard = new Command("dashboard", "Live curves in headless Chromium: page load, point latency, main-thread responsiveness")
        {
            runPages, history, rounds, interval,
        };
        dashboard.SetAction((parse, _) => LiveDashboardBenchmark.RunAsync(
            new LiveDashboardSettings(parse.GetValue(runPages), parse.GetValue(history), parse.GetValue(rounds), parse.GetValue(interval)), Console.Out));
        var root = new RootCommand("Crl benchmarks that run on the test harness") { new Command("bench", "Benchmarks") { dashboard } };
        return await root.Parse(args).InvokeAsync();
    }
}

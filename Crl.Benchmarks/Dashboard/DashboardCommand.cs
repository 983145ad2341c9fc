using System.CommandLine;

namespace Crl.Benchmarks.Dashboard;

/// <summary><c>dashboard</c>: live curves in headless Chromium against the real dashboard.</summary>
public static class DashboardCommand
{
    public static Command Create()
    {
        var runPages = new Option<int>("--run-pages") { Description = "Run pages open at once, each with 11 live curves", DefaultValueFactory = _ => 2 };
        var history = new Option<int>("--history-points") { Description = "Stored points per curve before the page opens", DefaultValueFactory = _ => 2000 };
        var rounds = new Option<int>("--rounds") { Description = "Live points per curve", DefaultValueFactory = _ => 40 };
        var interval = new Option<int>("--interval-ms") { Description = "Milliseconds between live points", DefaultValueFactory = _ => 500 };
        var runs = new Option<int>("--runs") { Description = "Finished runs stored before the Sweeps, Runs, Compare and Scaling pages are opened", DefaultValueFactory = _ => 10_000 };
        var pageLoads = new Option<int>("--page-loads") { Description = "Times each of those pages is opened", DefaultValueFactory = _ => 5 };
        var command = new Command("dashboard", "Headless Chromium: run page load, point latency, main-thread responsiveness, and the other pages' load with many runs")
        {
            runPages, history, rounds, interval, runs, pageLoads,
        };
        command.SetAction((parse, _) => LiveDashboardBenchmark.RunAsync(
            new LiveDashboardSettings(parse.GetValue(runPages), parse.GetValue(history), parse.GetValue(rounds), parse.GetValue(interval), parse.GetValue(runs), parse.GetValue(pageLoads)), Console.Out));
        return command;
    }
}

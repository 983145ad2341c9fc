using System.CommandLine;
using System.Text.Json;
using Crl.Jobs.Configuration;

namespace Crl.Benchmarks.Aggregate;

/// <summary><c>aggregate</c>: how long the Aggregate view takes to answer over many runs (issue 14).</summary>
public static class AggregateCommand
{
    public static Command Create()
    {
        var tasks = new Option<int>("--tasks") { Description = "Tasks (environments)", DefaultValueFactory = _ => 10 };
        var groups = new Option<int>("--groups") { Description = "Groups (depths 4, 8, …)", DefaultValueFactory = _ => 10 };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per task and group", DefaultValueFactory = _ => 100 };
        var resamples = new Option<int>("--resamples") { Description = "Bootstrap resamples", DefaultValueFactory = _ => 2000 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("aggregate", "The Aggregate view's statistics over tasks × groups × seeds runs, in memory and end to end on SQLite, next to a sort-per-resample baseline")
        {
            tasks, groups, seeds, resamples, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var errors = new List<string>();
            if (parse.GetValue(tasks) is < 1 or > 100) errors.Add($"--tasks must be in [1, 100]; got {parse.GetValue(tasks)}");
            if (parse.GetValue(groups) is < 2 or > 100) errors.Add($"--groups must be in [2, 100]; got {parse.GetValue(groups)}");
            if (parse.GetValue(seeds) is < 1 or > 10_000) errors.Add($"--seeds must be in [1, 10000]; got {parse.GetValue(seeds)}");
            if (parse.GetValue(resamples) is < AnalysisOptions.MinResamples or > AnalysisOptions.MaxResamples)
                errors.Add($"--resamples must be in [{AnalysisOptions.MinResamples}, {AnalysisOptions.MaxResamples}]; got {parse.GetValue(resamples)}");
            if (errors.Count > 0)
            {
                foreach (var e in errors) Console.Error.WriteLine(e);
                return 2;
            }
            var directory = Path.Combine(Path.GetTempPath(), $"crl-bench-aggregate-{Guid.NewGuid():N}");
            try
            {
                var asJson = parse.GetValue(json);
                var r = await AggregateBenchmark.RunAsync(directory, parse.GetValue(tasks), parse.GetValue(groups), parse.GetValue(seeds), parse.GetValue(resamples),
                    asJson ? null : Console.WriteLine, cancellation);
                if (asJson)
                {
                    Console.WriteLine(JsonSerializer.Serialize(r, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
                    return 0;
                }
                Console.WriteLine();
                Console.WriteLine($"{r.Tasks} tasks × {r.Groups} groups × {r.Seeds} seeds = {r.Runs:N0} runs, {r.Resamples:N0} resamples, {Environment.ProcessorCount} cores");
                Console.WriteLine($"statistics      {r.StatisticsMilliseconds,8:F0} ms   target ≤ {AggregateBenchmarkResult.TargetMilliseconds:F0} ms on two cores; {r.StatisticsCpuMilliseconds:F0} ms of CPU (≈ {r.StatisticsCpuMilliseconds / Math.Min(2, Environment.ProcessorCount):F0} ms on two idle cores)");
                Console.WriteLine($"end to end      {r.EndToEndMilliseconds,8:F0} ms   (runs read from SQLite by AggregateQuery, then the statistics)");
                Console.WriteLine($"baseline        {r.BaselineMilliseconds,8:F0} ms   (a sort per resample, same runs; {r.BaselineMilliseconds / r.StatisticsMilliseconds:F1}× the statistics' wall time, {r.BaselineCpuMilliseconds / r.StatisticsCpuMilliseconds:F1}× its CPU time)");
                return 0;
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
            }
        });
        return command;
    }
}

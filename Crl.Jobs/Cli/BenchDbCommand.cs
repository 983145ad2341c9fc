using System.CommandLine;
using System.Text.Json;
using Crl.Jobs.Benchmarks;

namespace Crl.Jobs.Cli;

/// <summary><c>bench db</c>: ingestion rate, curve and results-table load times, sweep queueing time (issue 6).</summary>
public static class BenchDbCommand
{
    public static Command Create()
    {
        var runs = new Option<int>("--sweep-runs") { Description = "Runs in the queued sweep", DefaultValueFactory = _ => 1000 };
        var points = new Option<long>("--points") { Description = "Metric points to ingest", DefaultValueFactory = _ => 500_000 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("db", "SQLite figures: points/s ingested while the dashboard reads, curve and results-table load times, sweep queueing time")
        {
            runs, points, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var errors = new List<string>();
            if (parse.GetValue(runs) is < 1 or > 10_000) errors.Add($"--sweep-runs must be in [1, 10000]; got {parse.GetValue(runs)}");
            if (parse.GetValue(points) is < 1_000 or > 100_000_000) errors.Add($"--points must be in [1000, 100000000]; got {parse.GetValue(points)}");
            if (errors.Count > 0)
            {
                foreach (var e in errors) Console.Error.WriteLine(e);
                return 2;
            }

            var directory = Path.Combine(Path.GetTempPath(), $"crl-bench-db-{Guid.NewGuid():N}");
            try
            {
                var asJson = parse.GetValue(json);
                var r = await DbBenchmark.RunAsync(directory, parse.GetValue(runs), parse.GetValue(points), asJson ? null : Console.WriteLine, cancellation);
                if (asJson)
                {
                    Console.WriteLine(JsonSerializer.Serialize(r, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
                    return 0;
                }
                Console.WriteLine();
                Console.WriteLine($"ingest          {r.IngestPointsPerSecond,10:N0} points/s   target ≥ {DbBenchmarkResult.IngestTarget:N0}   ({r.IngestPointsPerSecond / DbBenchmarkResult.IngestTarget:F2}× target)");
                Console.WriteLine($"run curves      {r.LoadCurvesMilliseconds,10:F1} ms         target ≤ {DbBenchmarkResult.LoadCurvesTargetMs} ms ({r.CurveMetrics} metrics × {r.CurvePoints:N0} points)");
                Console.WriteLine($"sweep results   {r.LoadSweepResultsMilliseconds,10:F1} ms         target ≤ {DbBenchmarkResult.LoadSweepResultsTargetMs} ms ({r.SweepRuns:N0} runs)");
                Console.WriteLine($"queue sweep     {r.QueueSweepSeconds,10:F2} s          target ≤ {DbBenchmarkResult.QueueSweepTargetSeconds} s ({r.SweepRuns:N0} runs)");
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

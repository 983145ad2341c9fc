using System.CommandLine;
using System.Text.Json;


namespace Crl.Benchmarks.Db;

/// <summary><c>db</c>: ingestion rate, curve and results-table load times, sweep queueing time (issue 6).</summary>
public static class DbCommand
{
    public static Command Create()
    {
        var runs = new Option<int>("--sweep-runs") { Description = "Runs in the queued sweep", DefaultValueFactory = _ => 1000 };
        var points = new Option<long>("--points") { Description = "Metric points to ingest", DefaultValueFactory = _ => 500_000 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var provider = new Option<string>("--provider") { Description = "sqlite (files in a temporary directory) or postgres", DefaultValueFactory = _ => "sqlite" };
        var connectionString = new Option<string?>("--connection-string")
        {
            Description = "postgres: a server and an account that may create databases; the figures are taken in a throwaway database there",
        };
        var command = new Command("db", "Database figures: points/s ingested while the dashboard reads, curve and results-table load times, sweep queueing time")
        {
            runs, points, json, provider, connectionString,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var errors = new List<string>();
            if (parse.GetValue(runs) is < 1 or > 10_000) errors.Add($"--sweep-runs must be in [1, 10000]; got {parse.GetValue(runs)}");
            if (parse.GetValue(points) is < 1_000 or > 100_000_000) errors.Add($"--points must be in [1000, 100000000]; got {parse.GetValue(points)}");
            var postgres = string.Equals(parse.GetValue(provider), "postgres", StringComparison.OrdinalIgnoreCase);
            if (!postgres && !string.Equals(parse.GetValue(provider), "sqlite", StringComparison.OrdinalIgnoreCase))
                errors.Add($"--provider must be sqlite or postgres; got '{parse.GetValue(provider)}'");
            if (postgres && string.IsNullOrWhiteSpace(parse.GetValue(connectionString)))
                errors.Add("--connection-string is required with --provider postgres (e.g. 'Host=127.0.0.1;Username=postgres')");
            if (errors.Count > 0)
            {
                foreach (var e in errors) Console.Error.WriteLine(e);
                return 2;
            }

            var directory = Path.Combine(Path.GetTempPath(), $"crl-bench-db-{Guid.NewGuid():N}");
            ThrowawayDatabase? database = null;
            try
            {
                if (postgres) database = await ThrowawayDatabase.CreateAsync(parse.GetValue(connectionString)!, cancellation);
            }
            catch (Exception e) when (e is ArgumentException or Npgsql.NpgsqlException)
            {
                Console.Error.WriteLine($"--connection-string: cannot create a database for the benchmark: {e.Message}");
                return 2;
            }
            await using var _ = database;
            try
            {
                var asJson = parse.GetValue(json);
                var r = await DbBenchmark.RunAsync(directory, database?.ConnectionString, parse.GetValue(runs), parse.GetValue(points), asJson ? null : Console.WriteLine, cancellation);
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
                Npgsql.NpgsqlConnection.ClearAllPools();
                try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
            }
        });
        return command;
    }
}

/// <summary>A database of its own for one benchmark on a PostgreSQL server, dropped afterwards.</summary>
internal sealed class ThrowawayDatabase : IAsyncDisposable
{
    private readonly string server;
    private readonly string name;

    private ThrowawayDatabase(string server, string name, string connectionString)
    {
        this.server = server;
        this.name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<ThrowawayDatabase> CreateAsync(string server, CancellationToken cancellation)
    {
        var name = $"crl_bench_{Guid.NewGuid():N}";
        await using (var connection = new Npgsql.NpgsqlConnection(server))
        {
            await connection.OpenAsync(cancellation);
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellation);
        }
        return new ThrowawayDatabase(server, name, new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var connection = new Npgsql.NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

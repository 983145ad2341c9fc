using System.Diagnostics;
using Crl.Jobs.Configuration;
using Crl.Jobs.Hosting;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Crl.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Crl.Benchmarks.Db;

/// <summary>The figures of issue 6, measured on a fresh database (SQLite or PostgreSQL) with the dashboard's own queries.</summary>
public sealed record DbBenchmarkResult(
    int SweepRuns, double QueueSweepSeconds,
    long IngestedPoints, double IngestPointsPerSecond, int ReadsDuringIngest,
    int CurveMetrics, int CurvePoints, double LoadCurvesMilliseconds,
    double LoadSweepResultsMilliseconds)
{
    public const double QueueSweepTargetSeconds = 2, IngestTarget = 50_000, LoadCurvesTargetMs = 50, LoadSweepResultsTargetMs = 200;
}

public static class DbBenchmark
{
    /// <param name="postgres">A connection string to an empty PostgreSQL database, or null for SQLite files in <paramref name="dataDirectory"/>.</param>
    public static async Task<DbBenchmarkResult> RunAsync(string dataDirectory, string? postgres, int sweepRuns, long points, Action<string>? progress, CancellationToken cancellation)
    {
        var settings = new Dictionary<string, string?> { ["Crl:DataDirectory"] = dataDirectory };
        if (postgres is not null)
        {
            settings["Crl:Database:Provider"] = DatabaseOptions.Postgres;
            settings["Crl:Database:ConnectionString"] = postgres;
        }
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddCrlOptions(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), dataDirectory)
            .AddCrlPersistence()
            .AddCrlJobs(runWorker: false)
            .BuildServiceProvider();
        await using var _ = services;
        var dbFactory = services.GetRequiredService<IDbContextFactory<ExperimentDb>>();
        // The dashboard's own read model, so the figures are what its pages and API pay.
        var curves = new MetricsQuery(dbFactory);
        var runsQuery = new RunsQuery(dbFactory);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellation)) await db.Database.MigrateAsync(cancellation);

        // 1. Queue a sweep of sweepRuns runs: validation, rows and one Hangfire job each.
        var request = new SweepRequest
        {
            Name = "bench", Envs = ["point_u_maze"], Depths = [4], Widths = [256], BatchSizes = [256],
            Seeds = [.. Enumerable.Range(0, sweepRuns).Select(i => (long)i)],
        };
        var clock = Stopwatch.StartNew();
        var sweep = await services.GetRequiredService<RunQueue>().LaunchAsync(request, cancellationToken: cancellation);
        var queueSeconds = clock.Elapsed.TotalSeconds;
        progress?.Invoke($"queued a {sweepRuns:N0}-run sweep in {queueSeconds:F2} s");
        var runIds = sweep.Runs.Select(r => r.Id).ToList();

        // 2. Ingest points for every run, one batch per run-epoch of the ~25 metrics a trainer reports, while the
        // dashboard does what it does with pages open: every 250 ms a change-feed query and a run's curves.
        var metrics = services.GetRequiredService<MetricStore>();
        string[] names = [.. Enumerable.Range(0, 25).Select(i => $"bench/metric_{i}")];
        var reads = 0;
        using var stopReading = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            while (await tick.WaitForNextTickAsync(CancellationToken.None) && !stopReading.IsCancellationRequested)
            {
                await curves.SeriesAsync(runIds[reads % runIds.Count], CancellationToken.None);
                await using var db = await dbFactory.CreateDbContextAsync();
                var since = DateTime.UtcNow.AddSeconds(-5);
                await db.Runs.AsNoTracking().Where(r => r.UpdatedAt > since).ToListAsync();
                reads++;
            }
        }, CancellationToken.None);
        long written = 0, step = 0;
        clock.Restart();
        while (written < points)
        {
            cancellation.ThrowIfCancellationRequested();
            step += 1000;
            foreach (var runId in runIds)
            {
                metrics.Append([.. names.Select((n, i) => new MetricPoint { RunId = runId, Name = n, Step = step, WallTime = step / 1000.0, Value = i + step * 1e-6 })]);
                written += names.Length;
                if (written >= points) break;
            }
        }
        var ingestSeconds = clock.Elapsed.TotalSeconds;
        await stopReading.CancelAsync();
        await reader;
        progress?.Invoke($"ingested {written:N0} points in {ingestSeconds:F2} s with {reads} dashboard reads alongside");

        // 3. One run's full curves: ten metrics × 2,000 points.
        const int curvePoints = 2000;
        names = names[..10];
        var curveRun = runIds[^1];
        await using (var db = await dbFactory.CreateDbContextAsync(cancellation))
            await db.MetricPoints.Where(p => p.RunId == curveRun).ExecuteDeleteAsync(cancellation);
        metrics.Append([.. Enumerable.Range(1, curvePoints).SelectMany(s => names.Select(n =>
            new MetricPoint { RunId = curveRun, Name = n, Step = s * 31_744L, WallTime = s, Value = Math.Sin(s) }))]);
        var curveMs = Median(10, async () => await curves.SeriesAsync(curveRun, cancellation));

        // 4. The sweep's results table: one row per run with its final values.
        var resultsMs = Median(10, async () => await runsQuery.ListAsync(new RunFilter(SweepId: sweep.Id), cancellation));

        return new DbBenchmarkResult(sweepRuns, queueSeconds, written, written / ingestSeconds, reads,
            names.Length, curvePoints, await curveMs, await resultsMs);
    }

    // The dashboard's read model lives in Crl.Web (MetricsQuery.SeriesAsync, RunsQuery.ListAsync), which Crl.Jobs
    // cannot reference; until this benchmark moves to a project that can, it times copies of those two reads.
    private static async Task<double> Median(int repeats, Func<Task> action)
    {
        await action(); // warm-up: compiled queries, page cache
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[repeats / 2];
    }
}

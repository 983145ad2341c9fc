using System.Diagnostics;
using Crl.Core.Sampling;
using Crl.Jobs.Configuration;
using Crl.Jobs.Hosting;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Web.Analysis;
using Crl.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crl.Benchmarks.Aggregate;

/// <summary>The figures of issue 14: the Aggregate view's answer over tasks × groups × seeds runs.</summary>
public sealed record AggregateBenchmarkResult(
    int Tasks, int Groups, int Seeds, int Runs, int Resamples,
    double StatisticsMilliseconds, double StatisticsCpuMilliseconds, double EndToEndMilliseconds, double BaselineMilliseconds, double BaselineCpuMilliseconds)
{
    public const double TargetMilliseconds = 1000;
}

public static class AggregateBenchmark
{
    private const int Rounds = 3;

    public static async Task<AggregateBenchmarkResult> RunAsync(string dataDirectory, int tasks, int groups, int seeds, int resamples, Action<string>? progress, CancellationToken cancellation)
    {
        var runs = Synthetic(tasks, groups, seeds);
        var question = new AggregateQuestion("actorDepth", "4", AggregateMetric.TimeAtGoal, new BootstrapSettings(resamples, 0));
        AggregateReport.Build(runs.Take(200), question with { Bootstrap = new BootstrapSettings(100, 0) });   // JIT

        // 1. The statistics from rows in memory: grouping by the config field, the bootstrap, the drawn rows.
        var (statistics, statisticsCpu) = Fastest(() => AggregateReport.Build(runs, question).Rows().Count());
        progress?.Invoke($"statistics over {runs.Count:N0} runs: {statistics:F0} ms ({statisticsCpu:F0} ms of CPU)");

        // 2. The same-run baseline: the textbook bootstrap (rliable's numpy way), one sort of the pooled scores per
        // resample and group, on the same runs, resamples and threads.
        var (baseline, baselineCpu) = Fastest(() => SortPerResample(runs, resamples));
        progress?.Invoke($"baseline (a sort per resample): {baseline:F0} ms ({baselineCpu:F0} ms of CPU)");

        // 3. What /api/aggregate pays: the runs read from a SQLite file by the dashboard's own query, then the statistics.
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddCrlOptions(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Crl:DataDirectory"] = dataDirectory }).Build(), dataDirectory)
            .AddCrlPersistence()
            .BuildServiceProvider();
        await using var scope = services;
        var dbFactory = services.GetRequiredService<IDbContextFactory<ExperimentDb>>();
        long sweepId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellation))
        {
            await db.Database.MigrateAsync(cancellation);
            var sweep = new Sweep { Name = "aggregate bench", SpecJson = "{}", CreatedAt = DateTime.UtcNow };
            sweep.Runs.AddRange(runs.Select(r => { r.Id = 0; return r; }));
            db.Sweeps.Add(sweep);
            await db.SaveChangesAsync(cancellation);
            sweepId = sweep.Id;
        }
        var runsQuery = new RunsQuery(dbFactory);
        var query = new AggregateQuery(runsQuery, new SweepsQuery(dbFactory), services.GetRequiredService<IOptions<CrlOptions>>());
        var parameters = new AggregateParameters([sweepId], [], "actorDepth", "4", AggregateMetric.TimeAtGoal, resamples, 0);
        var (endToEnd, _) = Fastest(() =>
        {
            var (report, errors) = query.ReportAsync(parameters, cancellation).GetAwaiter().GetResult();
            if (report is null) throw new InvalidOperationException(string.Join("; ", errors.SelectMany(e => e.Value)));
        });
        progress?.Invoke($"end to end through AggregateQuery on SQLite: {endToEnd:F0} ms");
        return new AggregateBenchmarkResult(tasks, groups, seeds, runs.Count, resamples, statistics, statisticsCpu, endToEnd, baseline, baselineCpu);
    }

    /// <summary>
    /// The fastest of a few rounds, wall clock and this process's CPU time: on a shared machine the wall clock says how
    /// busy the neighbours were, while CPU time over the cores used says what the work costs on idle ones.
    /// </summary>
    private static (double Wall, double Cpu) Fastest(Action action)
    {
        var best = (Wall: double.MaxValue, Cpu: double.MaxValue);
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < Rounds; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            action();
            var wall = clock.Elapsed.TotalMilliseconds;
            process.Refresh();
            if (wall < best.Wall) best = (wall, (process.TotalProcessorTime - cpu).TotalMilliseconds);
        }
        return best;
    }

    /// <summary>tasks × groups (depths 4, 8, …) × seeds finished runs, time at goal rising with depth, with noise.</summary>
    public static List<Run> Synthetic(int tasks, int groups, int seeds)
    {
        var random = new Xoshiro256(14);
        var runs = new List<Run>(tasks * groups * seeds);
        for (int t = 0; t < tasks; t++)
            for (int g = 0; g < groups; g++)
                for (int s = 0; s < seeds; s++)
                {
                    int depth = 4 * (g + 1);
                    runs.Add(new Run
                    {
                        Env = $"task_{t}", ActorDepth = depth, CriticDepth = depth, ActorWidth = 256, CriticWidth = 256, BatchSize = 256, Seed = s,
                        ConfigJson = $$"""{"env":"task_{{t}}","actorDepth":{{depth}},"criticDepth":{{depth}},"seed":{{s}},"episodeLength":1000}""",
                        State = RunState.Succeeded, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
                        FinalTimeAtGoal = Math.Clamp(40 * g + 100 * random.NextDouble(-1, 1) + 20 * t, 0, 1000),
                        FinalSuccessRate = random.NextDouble(0, 1),
                    });
                }
        return runs;
    }

    /// <summary>Mean, median, IQM, optimality gap and a 51-point profile per resample, sorting each resample's pooled scores.</summary>
    private static void SortPerResample(List<Run> runs, int resamples)
    {
        var groups = runs.GroupBy(r => r.ActorDepth)
            .Select(g => g.GroupBy(r => r.Env).Select(t => t.Select(r => r.FinalTimeAtGoal!.Value).ToArray()).ToArray())
            .ToList();
        Parallel.ForEach(groups, tasks =>
        {
            var random = new Xoshiro256(1);
            int n = tasks.Sum(t => t.Length), trim = n / 4;
            var pooled = new double[n];
            var taskMeans = new double[tasks.Length];
            var draws = new double[5 + 51][];
            for (int s = 0; s < draws.Length; s++) draws[s] = new double[resamples];
            for (int b = 0; b < resamples; b++)
            {
                int k = 0;
                for (int t = 0; t < tasks.Length; t++)
                {
                    double sum = 0;
                    for (int i = 0; i < tasks[t].Length; i++) { var v = tasks[t][random.NextInt(tasks[t].Length)]; pooled[k++] = v; sum += v; }
                    taskMeans[t] = sum / tasks[t].Length;
                }
                Array.Sort(pooled);
                draws[0][b] = taskMeans.Average();
                draws[1][b] = AggregateStatistics.Median([.. taskMeans]);
                draws[2][b] = pooled.AsSpan(trim, n - 2 * trim).ToArray().Average();
                draws[3][b] = pooled.Average(v => Math.Max(0, 1000 - v));
                for (int tau = 0; tau <= 50; tau++)
                {
                    int below = Array.BinarySearch(pooled, 20.0 * tau + 1e-9);
                    draws[4 + tau][b] = (double)(n - (below < 0 ? ~below : below)) / n;
                }
            }
            foreach (var d in draws) Array.Sort(d);
        });
    }
}

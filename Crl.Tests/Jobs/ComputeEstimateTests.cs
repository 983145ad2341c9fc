using Crl.Core.Training;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Sweeps;
using Crl.Web.Queries;
using Crl.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>The launch preview's hours: FLOPs of the planned runs over the rate finished runs reached, drained by the live slots.</summary>
public sealed class ComputeEstimateTests : IAsyncLifetime
{
    private readonly TempDirectory temp = new();
    private IDbContextFactory<ExperimentDb> dbFactory = null!;

    public async Task InitializeAsync()
    {
        dbFactory = new PooledDbContextFactory<ExperimentDb>(
            new DbContextOptionsBuilder<ExperimentDb>().UseSqlite($"Data Source={temp.Combine("crl.db")}").Options);
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        temp.Dispose();
        return Task.CompletedTask;
    }

    private static SweepRequest Request(params int[] depths) => new()
    {
        Name = "estimate", Envs = ["point_u_maze"], Depths = [.. depths], Widths = [256], BatchSizes = [256], Seeds = [1],
        Settings = QuickSweep.Settings(new { totalEnvSteps = 2_000_000 }),
    };

    [Fact]
    public async Task Without_a_finished_run_there_are_flops_but_no_hours()
    {
        var plan = SweepPlanner.Plan(Request(4, 16));

        var estimate = ComputeEstimate.Of(plan, await new ThroughputMeter(dbFactory).MeasureAsync(), slots: 1);

        Assert.Null(estimate.Throughput);
        Assert.Null(estimate.TrainingTime);
        Assert.Equal(plan.Runs.Sum(r => TrainingCost.Of(r.Config).TotalFlops), estimate.TotalFlops);
    }

    [Fact]
    public async Task Finished_runs_set_the_rate_and_slots_share_the_runs_longest_first()
    {
        // Two finished runs: one trained for 100 s between its first and last report, the other 300 s.
        var finished = SweepPlanner.Plan(Request(4, 8));
        double[] seconds = [101, 301];
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            for (int i = 0; i < 2; i++)
            {
                var config = finished.Runs[i].Config;
                var run = new Run
                {
                    Env = config.Env, ActorDepth = config.ActorDepth, CriticDepth = config.CriticDepth, ConfigJson = StoredConfig.Write(config),
                    State = RunState.Succeeded, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow, FinishedAt = DateTime.UtcNow,
                };
                db.Runs.Add(run);
                await db.SaveChangesAsync();
                db.MetricPoints.AddRange(
                    new MetricPoint { RunId = run.Id, Name = MetricNames.EpisodeSuccess, Step = 0, WallTime = 1, Value = 0 },
                    new MetricPoint { RunId = run.Id, Name = MetricNames.EpisodeSuccess, Step = 1000, WallTime = seconds[i], Value = 0 });
            }
            // A failed run measures nothing.
            db.Runs.Add(new Run { Env = "point_u_maze", ConfigJson = "{}", State = RunState.Failed, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        var finishedFlops = finished.Runs.Sum(r => TrainingCost.Of(r.Config).TotalFlops);

        var throughput = await new ThroughputMeter(dbFactory).MeasureAsync();

        Assert.NotNull(throughput);
        Assert.Equal(2, throughput.Runs);
        Assert.Equal(finishedFlops / 400, throughput.FlopsPerSecond, 6);

        // Three runs of the same cost on two slots: two run side by side, the third after them.
        var plan = SweepPlanner.Plan(Request(16) with { Seeds = [1, 2, 3] });
        var estimate = ComputeEstimate.Of(plan, throughput, slots: 2);
        var oneRun = TrainingCost.Of(plan.Runs[0].Config).TotalFlops / throughput.FlopsPerSecond;
        Assert.Equal(3 * oneRun, estimate.TrainingTime!.Value.TotalSeconds, 3);
        Assert.Equal(2 * oneRun, estimate.WallClock!.Value.TotalSeconds, 3);
        Assert.Null(ComputeEstimate.Of(plan, throughput, slots: 0).WallClock);
    }
}

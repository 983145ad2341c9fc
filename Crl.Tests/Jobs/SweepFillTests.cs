using System.Text.Json.Nodes;
using Crl.Benchmarks.Harness;
using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>Fill on a real SQLite file: cells are found by their grid axes, so knobs added later do not re-queue a sweep.</summary>
public sealed class SweepFillTests : IAsyncLifetime
{
    private readonly TempDirectory temp = new("crl-fill");
    private IDbContextFactory<ExperimentDb> dbFactory = null!;

    public async Task InitializeAsync()
    {
        dbFactory = new PooledDbContextFactory<ExperimentDb>(
            new DbContextOptionsBuilder<ExperimentDb>().UseSqlite($"Data Source={Path.Combine(temp.Path, "crl.db")}").Options);
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        temp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Fill_of_a_sweep_stored_before_a_knob_existed_queues_nothing_and_finds_a_cell_that_is_really_missing()
    {
        var queue = new RunQueue(dbFactory, TimeProvider.System, Options.Create(new CrlOptions()));
        var sweep = await queue.LaunchAsync(QuickSweep.Request(seeds: [1, 2, 3]), ownerId: null);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            // Rows as an older build stored them: the ablation switches had no keys yet.
            foreach (var run in await db.Runs.Where(r => r.SweepId == sweep.Id).ToListAsync())
            {
                var config = JsonNode.Parse(run.ConfigJson)!.AsObject();
                foreach (var key in new[] { "representationDim", "activation", "residual", "useAllBatches", "evalActionSelection", "collectActionSelection", "entropy", "updatesPerTrainingStep" })
                    Assert.True(config.Remove(key), key);
                run.ConfigJson = config.ToJsonString();
                run.State = Crl.Jobs.Persistence.Model.RunState.Succeeded;
            }
            await db.SaveChangesAsync();
        }

        Assert.Empty(await queue.FillSweepAsync(sweep.Id));
        await using (var db = await dbFactory.CreateDbContextAsync())
            Assert.Equal(3, await db.Runs.CountAsync(r => r.SweepId == sweep.Id));

        // A cell whose run is gone is still found, and only that one.
        await using (var db = await dbFactory.CreateDbContextAsync())
            await db.Runs.Where(r => r.SweepId == sweep.Id && r.Seed == 2).ExecuteDeleteAsync();
        var queued = await queue.FillSweepAsync(sweep.Id);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var added = await db.Runs.SingleAsync(r => r.Id == Assert.Single(queued));
            Assert.Equal((2L, Crl.Jobs.Persistence.Model.RunState.Queued), (added.Seed, added.State));
            Assert.Equal(3, await db.Runs.CountAsync(r => r.SweepId == sweep.Id));
        }
    }
}

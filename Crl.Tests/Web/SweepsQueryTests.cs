using System.Data.Common;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Tests.Support;
using Crl.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>The Sweeps page and <c>GET /api/sweeps</c> read a page of sweeps in a fixed number of round trips.</summary>
public sealed class SweepsQueryTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly CommandCounter commands = new();

    [Fact]
    public async Task A_page_of_100_sweeps_costs_as_many_round_trips_as_a_page_of_10()
    {
        var dbFactory = await SeededAsync(sweeps: 120, runsPerSweep: 3);
        var query = new SweepsQuery(dbFactory);

        commands.Count = 0;
        var ten = await query.PageAsync(skip: 0, take: 10);
        var forTen = commands.Count;
        commands.Count = 0;
        var hundred = await query.PageAsync(skip: 0, take: 100);
        var forHundred = commands.Count;

        Assert.Equal(10, ten.Count);
        Assert.Equal(100, hundred.Count);
        Assert.Equal(forTen, forHundred);
        Assert.InRange(forHundred, 1, 2);
    }

    [Fact]
    public async Task Each_sweep_of_a_page_counts_its_own_runs_newest_sweep_first()
    {
        var dbFactory = await SeededAsync(sweeps: 12, runsPerSweep: 3);

        var page = await new SweepsQuery(dbFactory).PageAsync(skip: 2, take: 5);

        Assert.Equal(["sweep 9", "sweep 8", "sweep 7", "sweep 6", "sweep 5"], page.Select(s => s.Name));
        await using var db = await dbFactory.CreateDbContextAsync();
        foreach (var sweep in page)
        {
            var runs = await db.Runs.Where(r => r.SweepId == sweep.Id).OrderBy(r => r.Id).ToListAsync();
            Assert.Equal(runs.Select(r => r.Id), sweep.RunIds);
            Assert.Equal(runs.GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Count()), sweep.RunsByState);
            Assert.Equal(SweepState.Of(runs.Select(r => r.State).ToList()), sweep.State);
        }
        // Seeded states cycle per sweep, so the page holds sweeps in different states.
        Assert.True(page.Select(s => s.State).Distinct().Count() > 1);
    }

    /// <summary>Sweeps named "sweep 0" … in id order, each with its runs in a state that depends on the sweep.</summary>
    private async Task<IDbContextFactory<ExperimentDb>> SeededAsync(int sweeps, int runsPerSweep)
    {
        var dbFactory = new PooledDbContextFactory<ExperimentDb>(new DbContextOptionsBuilder<ExperimentDb>()
            .UseSqlite($"Data Source={temp.Combine("crl.db")}")
            .AddInterceptors(commands)
            .Options);
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        var states = Enum.GetValues<RunState>();
        for (int s = 0; s < sweeps; s++)
        {
            var sweep = new Sweep { Name = $"sweep {s}", SpecJson = "{}", CreatedAt = DateTime.UtcNow };
            for (int r = 0; r < runsPerSweep; r++)
                sweep.Runs.Add(new Run
                {
                    Env = "point_u_maze", Seed = r, ConfigJson = "{}", State = states[(s + r) % states.Length],
                    CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
                });
            db.Sweeps.Add(sweep);
        }
        await db.SaveChangesAsync();
        return dbFactory;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        temp.Dispose();
    }

    /// <summary>Counts the commands EF Core sends to the database: each is one round trip.</summary>
    private sealed class CommandCounter : DbCommandInterceptor
    {
        public int Count;

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Interlocked.Increment(ref Count);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Count);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Interlocked.Increment(ref Count);
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Count);
            return ValueTask.FromResult(result);
        }
    }
}

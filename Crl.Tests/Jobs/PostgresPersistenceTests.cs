using Crl.Jobs.Hosting;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Crl.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>The results database on a real PostgreSQL server: migrations, metric ingestion and the dashboard's queries.</summary>
[Trait(Lanes.Trait, Lanes.Slow)]
public sealed class PostgresPersistenceTests : IAsyncLifetime
{
    private readonly TempDirectory temp = new();
    private string connectionString = null!;
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.StartedAsync();
        connectionString = await server.CreateDatabaseAsync("persistence");
        services = new ServiceCollection()
            .AddLogging()
            .AddCrlOptions(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Crl:DataDirectory"] = temp.Combine("data"),
                ["Crl:Database:Provider"] = "Postgres",
                ["Crl:Database:ConnectionString"] = connectionString,
            }).Build(), temp.Path)
            .AddCrlPersistence()
            .AddSingleton<RunLease>()
            .AddSingleton<RunQueue>()
            .AddSingleton<MetricsQuery>()
            .AddSingleton<SweepsQuery>()
            .AddSingleton<RunsQuery>()
            .BuildServiceProvider();
    }

    private IDbContextFactory<ExperimentDb> DbFactory => services.GetRequiredService<IDbContextFactory<ExperimentDb>>();

    private Task MigrateAsync() => services.GetServices<IHostedService>().OfType<DatabaseMigrator>().Single().StartAsync(CancellationToken.None);

    [Fact]
    public async Task Migrations_build_every_table_on_an_empty_database_and_a_second_start_finds_nothing_to_do()
    {
        await MigrateAsync();
        await MigrateAsync();

        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.IsType<PostgresExperimentDb>(db);
        var all = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(all);
        Assert.Equal(all, await db.Database.GetAppliedMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "the PostgreSQL migrations lag the model: add one with --context PostgresExperimentDb");
        await using (var sqlite = new DesignTimeExperimentDbFactory().CreateDbContext([]))
            Assert.False(sqlite.Database.HasPendingModelChanges(), "the SQLite migrations lag the model: add one with --context ExperimentDb");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var tables = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", connection);
        var names = new List<string>();
        await using (var reader = await tables.ExecuteReaderAsync())
            while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        Assert.Superset(new HashSet<string> { "Sweeps", "Runs", "MetricPoints", "Users", "Checkpoints", "__EFMigrationsHistory" }, names.ToHashSet());
    }

    [Fact]
    public async Task A_sweep_its_metric_points_and_its_leases_round_trip_through_the_dashboards_queries()
    {
        await MigrateAsync();
        var started = DateTime.UtcNow;
        var sweep = await services.GetRequiredService<RunQueue>().LaunchAsync(QuickSweep.Request(seeds: [1, 2, 3]));
        var ids = sweep.Runs.Select(r => r.Id).ToList();

        // Two epochs' reports of two metrics, as a trainer appends them, then a resume that drops the second epoch.
        var metrics = services.GetRequiredService<MetricStore>();
        foreach (var step in new long[] { 1600, 3200 })
            metrics.Append([
                new MetricPoint { RunId = ids[0], Name = "training/critic_loss", Step = step, WallTime = step / 100.0, Value = 1.0 / step },
                new MetricPoint { RunId = ids[0], Name = "eval/episode_success", Step = step, WallTime = step / 100.0, Value = step / 3200.0 },
            ]);
        metrics.Append([new MetricPoint { RunId = ids[1], Name = "eval/episode_success", Step = 1600, WallTime = 1, Value = 0.25 }]);

        var curves = await services.GetRequiredService<MetricsQuery>().SeriesAsync(ids[0]);
        Assert.Equal(["eval/episode_success", "training/critic_loss"], curves.Select(c => c.Name).Order(StringComparer.Ordinal));
        var success = curves.Single(c => c.Name == "eval/episode_success");
        Assert.Equal([1600L, 3200L], success.Steps);
        Assert.Equal([0.5, 1.0], success.Values);

        // Compare's one query for many runs: each run that logged the metric, in step order; a run without it is absent.
        var compared = await services.GetRequiredService<MetricsQuery>().SeriesAsync(ids, "eval/episode_success");
        Assert.Equal([ids[0], ids[1]], compared.Keys.Order());
        Assert.Equal([1600L, 3200L], compared[ids[0]].Steps);
        Assert.Equal([0.25], compared[ids[1]].Values);

        Assert.Equal(2, metrics.DeleteAfter(ids[0], 1600));
        Assert.All(await services.GetRequiredService<MetricsQuery>().SeriesAsync(ids[0]), c => Assert.Equal([1600L], c.Steps));

        // Two workers race for one run: exactly one takes its lease.
        var lease = services.GetRequiredService<RunLease>();
        var claims = await Task.WhenAll(lease.TryClaimAsync(ids[0], "worker-a", CancellationToken.None), lease.TryClaimAsync(ids[0], "worker-b", CancellationToken.None));
        Assert.Equal(1, claims.Count(c => c));
        var holder = claims[0] ? "worker-a" : "worker-b";
        Assert.True((await lease.HeartbeatAsync(ids[0], holder, CancellationToken.None)).Held);
        Assert.True(await lease.FinishAsync(ids[0], holder, RunState.Failed, "boom", CancellationToken.None));
        Assert.Equal([ids[0]], await services.GetRequiredService<RunQueue>().RetryRunAsync(ids[0]));

        var query = services.GetRequiredService<RunsQuery>();
        var runs = await query.ListAsync(new RunFilter(SweepId: sweep.Id));
        Assert.Equal(ids, runs.Select(r => r.Id));
        Assert.All(runs, r => Assert.Equal(RunState.Queued, r.State));
        Assert.All(runs, r => Assert.Equal(DateTimeKind.Utc, r.CreatedAt.Kind));
        Assert.All(runs, r => Assert.InRange(r.CreatedAt, started.AddSeconds(-5), DateTime.UtcNow.AddSeconds(5)));
        Assert.Equal(1, runs[0].Attempts);

        var (page, total) = await query.PageAsync(new RunFilter(Env: "point_u_maze", State: RunState.Queued), new RunOrder("CreatedAt", Descending: false), skip: 1, take: 1);
        Assert.Equal(3, total);
        Assert.Equal([ids[1]], page.Select(r => r.Id));
        var (sweepRuns, _) = await query.PageAsync(new RunFilter(State: RunState.Queued, SweepId: sweep.Id), RunOrder.Oldest, 0, 10, RunDetails.Shape);
        Assert.Equal(3, sweepRuns.Count);
        var listed = Assert.Single(await services.GetRequiredService<SweepsQuery>().PageAsync(0, 10));
        Assert.Equal(ids, listed.RunIds);
        Assert.Equal(3, listed.RunsByState[RunState.Queued]);
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        temp.Dispose();
    }
}

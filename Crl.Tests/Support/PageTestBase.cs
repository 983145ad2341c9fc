using Bunit;
using Bunit.TestDoubles;
using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Hangfire.Storage.SQLite;
using Crl.Web.LiveFeeds;
using Crl.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;
using Xunit;

namespace Crl.Tests.Support;

/// <summary>
/// bUnit pages over a real, migrated SQLite file with the dashboard's real services (queries, run queue, change
/// feeds). MudBlazor components need async disposal, hence <see cref="IAsyncLifetime"/>.
/// </summary>
public abstract class PageTestBase : IAsyncLifetime
{
    // bUnit waits one second by default; on two cores the full suite trains beside the page tests, and a page with
    // live feeds and charts can take longer than that to render what a test waits for.
    static PageTestBase() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    private readonly TempDirectory temp = new();

    private SQLiteStorage? hangfire;

    protected BunitContext Context { get; } = new();

    /// <summary>Who the pages see signed in: an admin unless a test says otherwise.</summary>
    protected BunitAuthorizationContext Auth { get; private set; } = null!;
    protected IDbContextFactory<ExperimentDb> DbFactory { get; private set; } = null!;
    protected RunChangeFeed RunChanges { get; private set; } = null!;
    protected MetricFeed Metrics { get; private set; } = null!;
    protected RunFiles Files { get; private set; } = null!;
    protected TrainLogFeed TrainLogs { get; private set; } = null!;
    protected SQLiteStorage Hangfire => hangfire!;

    /// <summary>Where run files of this test live.</summary>
    protected string DataDirectory => temp.Combine("data");

    public async Task InitializeAsync()
    {
        DbFactory = new PooledDbContextFactory<ExperimentDb>(
            new DbContextOptionsBuilder<ExperimentDb>().UseSqlite($"Data Source={temp.Combine("crl.db")}").Options);
        await using (var db = await DbFactory.CreateDbContextAsync()) await db.Database.MigrateAsync();

        RunChanges = new RunChangeFeed(DbFactory, NullLogger<RunChangeFeed>.Instance);
        Metrics = new MetricFeed(DbFactory, NullLogger<MetricFeed>.Instance);
        Files = new RunFiles(Options.Create(new CrlOptions { DataDirectory = temp.Combine("data") }));
        Context.Services.AddSingleton(DbFactory);
        Context.Services.AddSingleton(RunChanges);
        Context.Services.AddSingleton(Metrics);
        Context.Services.AddSingleton(Files);
        TrainLogs = new TrainLogFeed(Files, NullLogger<TrainLogFeed>.Instance);
        Context.Services.AddSingleton(TrainLogs);
        var (runs, sweeps, options) = (new RunsQuery(DbFactory), new SweepsQuery(DbFactory), Options.Create(new CrlOptions()));
        Context.Services.AddSingleton(runs);
        Context.Services.AddSingleton(sweeps);
        Context.Services.AddSingleton(new ScalingQuery(runs, options, TimeProvider.System));
        Context.Services.AddSingleton(new AggregateQuery(runs, sweeps, options));
        Context.Services.AddSingleton(new MetricsQuery(DbFactory));
        Context.Services.AddSingleton(new RunQueue(DbFactory, TimeProvider.System, Options.Create(new CrlOptions())));
        Context.Services.AddSingleton(new CheckpointEvaluations(DbFactory, Files));
        Context.Services.AddSingleton(new ThroughputMeter(DbFactory));
        Context.Services.AddSingleton(Options.Create(new CrlOptions()));
        // Hangfire's own storage on a file, with no server: the Workers list is empty, as on a dashboard without workers.
        hangfire = new SQLiteStorage(temp.Combine("hangfire.db"), new SQLiteStorageOptions());
        var workers = new WorkersQuery(hangfire, DbFactory, options);
        Context.Services.AddSingleton(workers);
        Context.Services.AddSingleton(new WorkerFeed(workers, options, NullLogger<WorkerFeed>.Instance));
        Context.Services.AddMudServices();
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Auth = Context.AddAuthorization();
        Auth.SetAuthorized("admin").SetRoles("admin");
        await SeedAsync();
        // As in a live circuit; a test of the prerendered page sets it otherwise. The renderer is a service, so only
        // after the test's own services are added.
        Context.Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        Context.Render<MudPopoverProvider>();
    }

    /// <summary>Rows the test starts from, and services it adds (before anything renders).</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        RunChanges.Dispose();
        Metrics.Dispose();
        TrainLogs.Dispose();
        await Context.DisposeAsync();
        hangfire?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        temp.Dispose();
    }
}

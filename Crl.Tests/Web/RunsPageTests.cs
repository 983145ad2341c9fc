using Bunit;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Tests.Support;
using Crl.Web.Components.Pages;
using Crl.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>The Runs page over a real SQLite file: it lists runs and follows their state as the change feed pushes it.</summary>
public class RunsPageTests : IAsyncLifetime
{
    private readonly TempDirectory temp = new();
    private readonly BunitContext context = new();
    private IDbContextFactory<ExperimentDb> dbFactory = null!;
    private RunChangeFeed feed = null!;

    public async Task InitializeAsync()
    {
        var dbOptions = new DbContextOptionsBuilder<ExperimentDb>().UseSqlite($"Data Source={temp.Combine("crl.db")}").Options;
        dbFactory = new PooledDbContextFactory<ExperimentDb>(dbOptions);
        await using (var db = await dbFactory.CreateDbContextAsync()) await db.Database.MigrateAsync();

        feed = new RunChangeFeed(dbFactory, NullLogger<RunChangeFeed>.Instance);
        context.Services.AddSingleton(dbFactory);
        context.Services.AddSingleton(feed);
        context.Services.AddSingleton<RunsQuery>();
        context.Services.AddSingleton(TimeProvider.System);
        context.Services.AddSingleton<RunQueue>();
        context.Services.AddMudServices();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public async Task A_run_is_listed_with_its_state_and_the_row_follows_it_to_succeeded_without_a_reload()
    {
        var id = await AddRunAsync(RunState.Queued);
        context.Render<MudPopoverProvider>();
        var page = context.Render<Runs>();

        Assert.Equal("Queued", StateOf(page, id));

        await feed.StartAsync(CancellationToken.None);
        await SetStateAsync(id, RunState.Running, progress: 0.5);
        page.WaitForAssertion(() => Assert.Equal("Running", StateOf(page, id)), TimeSpan.FromSeconds(10));

        await SetStateAsync(id, RunState.Succeeded, progress: 1);
        page.WaitForAssertion(() => Assert.Equal("Succeeded", StateOf(page, id)), TimeSpan.FromSeconds(10));
        await feed.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_queue_button_creates_a_queued_run_that_appears_in_the_table()
    {
        context.Render<MudPopoverProvider>();
        var page = context.Render<Runs>();
        Assert.Contains("No runs yet", page.Markup);
        await feed.StartAsync(CancellationToken.None);

        await page.Find("[data-testid=queue-quick-run]").ClickAsync(new());

        await using var db = await dbFactory.CreateDbContextAsync();
        var run = await db.Runs.SingleAsync();
        Assert.Equal("point_u_maze", run.Env);
        page.WaitForAssertion(() => Assert.Equal("Queued", StateOf(page, run.Id)), TimeSpan.FromSeconds(10));
        await feed.StopAsync(CancellationToken.None);
    }

    private static string StateOf(IRenderedComponent<Runs> page, long runId)
    {
        var row = page.FindAll("tr").Single(tr => tr.QuerySelector($"[data-run-id='{runId}']") is not null);
        return row.QuerySelector("[data-run-state]")!.GetAttribute("data-run-state")!;
    }

    private async Task<long> AddRunAsync(RunState state)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var run = new Run { Env = "point_u_maze", ActorDepth = 16, CriticDepth = 16, ConfigJson = "{}", State = state, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    private async Task SetStateAsync(long id, RunState state, double progress)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var now = DateTime.UtcNow;
        await db.Runs.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.State, state).SetProperty(r => r.Progress, progress).SetProperty(r => r.UpdatedAt, now));
    }

    public async Task DisposeAsync()
    {
        feed.Dispose();
        await context.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        temp.Dispose();
    }
}

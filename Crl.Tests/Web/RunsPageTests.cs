using Bunit;
using Crl.Jobs.Persistence.Model;
using Crl.Tests.Support;
using Crl.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>The Runs page over a real SQLite file: it lists runs and follows their state as the change feed pushes it.</summary>
public class RunsPageTests : PageTestBase
{
    [Fact]
    public async Task A_run_is_listed_with_its_state_and_the_row_follows_it_to_succeeded_without_a_reload()
    {
        var id = await AddRunAsync(RunState.Queued);
        var page = Context.Render<Runs>();

        Assert.Equal("Queued", StateOf(page, id));

        await RunChanges.StartAsync(CancellationToken.None);
        await SetStateAsync(id, RunState.Running, progress: 0.5);
        page.WaitForAssertion(() => Assert.Equal("Running", StateOf(page, id)), TimeSpan.FromSeconds(10));

        await SetStateAsync(id, RunState.Succeeded, progress: 1);
        page.WaitForAssertion(() => Assert.Equal("Succeeded", StateOf(page, id)), TimeSpan.FromSeconds(10));
        await RunChanges.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_queue_button_creates_a_queued_run_that_appears_in_the_table()
    {
        var page = Context.Render<Runs>();
        Assert.Contains("No runs yet", page.Markup);
        await RunChanges.StartAsync(CancellationToken.None);

        await page.Find("[data-testid=queue-quick-run]").ClickAsync(new());

        await using var db = await DbFactory.CreateDbContextAsync();
        var run = await db.Runs.SingleAsync();
        Assert.Equal("point_u_maze", run.Env);
        page.WaitForAssertion(() => Assert.Equal("Queued", StateOf(page, run.Id)), TimeSpan.FromSeconds(10));
        await RunChanges.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Runs_ticked_in_the_table_open_together_on_the_compare_page()
    {
        var first = await AddRunAsync(RunState.Succeeded);
        await AddRunAsync(RunState.Succeeded);
        var third = await AddRunAsync(RunState.Failed);
        var page = Context.Render<Runs>();
        Assert.True(page.Find("[data-testid=compare-selected]").HasAttribute("disabled"));

        page.WaitForElement($"input[data-testid=select-run-{first}]").Change(true);
        page.Find($"input[data-testid=select-run-{third}]").Change(true);
        Assert.Contains("Compare selected (2)", page.Find("[data-testid=compare-selected]").TextContent);

        page.Find("[data-testid=compare-selected]").Click();
        Assert.EndsWith($"/compare?runs={first},{third}", Context.Services.GetRequiredService<NavigationManager>().Uri);
    }

    private static string StateOf(IRenderedComponent<Runs> page, long runId)
    {
        var row = page.FindAll("tr").Single(tr => tr.QuerySelector($"[data-run-id='{runId}']") is not null);
        return row.QuerySelector("[data-run-state]")!.GetAttribute("data-run-state")!;
    }

    private async Task<long> AddRunAsync(RunState state)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var run = new Run { Env = "point_u_maze", ActorDepth = 16, CriticDepth = 16, ConfigJson = "{}", State = state, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    private async Task SetStateAsync(long id, RunState state, double progress)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var now = DateTime.UtcNow;
        await db.Runs.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.State, state).SetProperty(r => r.Progress, progress).SetProperty(r => r.UpdatedAt, now));
    }

}

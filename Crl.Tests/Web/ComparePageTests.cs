using Bunit;
using Crl.Jobs.Persistence.Model;
using Crl.Tests.Support;
using Crl.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>The compare page over a real SQLite file: runs picked on the Runs page, grouped by the field that differs.</summary>
public class ComparePageTests : PageTestBase
{
    private readonly List<long> picked = [];

    protected override async Task SeedAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        foreach (var (depth, seed) in new[] { (4, 1), (4, 2), (16, 1), (16, 2), (64, 1) })
        {
            var run = new Run
            {
                Env = "point_u_maze", ActorDepth = depth, CriticDepth = depth, ActorWidth = 256, CriticWidth = 256, BatchSize = 256, Seed = seed,
                ConfigJson = $$"""{"env":"point_u_maze","actorDepth":{{depth}},"criticDepth":{{depth}},"seed":{{seed}}}""",
                State = RunState.Succeeded, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            };
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            if (depth != 64) picked.Add(run.Id);
            for (int epoch = 0; epoch < 3; epoch++)
                db.MetricPoints.Add(new MetricPoint { RunId = run.Id, Name = "eval/episode_success", Step = epoch * 1000, WallTime = epoch, Value = depth * epoch + seed });
        }
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Picked_runs_are_grouped_by_depth_across_seeds_and_the_csv_holds_the_drawn_means()
    {
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/compare?runs={string.Join(',', picked)}");
        var page = Context.Render<Compare>();

        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=compare-chart]").GetAttribute("data-groups")));
        Assert.Equal(4, page.FindAll("[data-testid=compare-runs] .mud-chip").Count);   // depth 64 was not picked

        await page.Find("[data-testid=compare-csv]").ClickAsync(new());
        var csv = (string)Context.JSInterop.Invocations.Single(i => i.Identifier == "crlDownload").Arguments[1]!;
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line,runs,env_steps,mean_eval/episode_success,lower_StandardError,upper_StandardError", rows[0]);
        // Depth 4 at step 2000: seeds 1 and 2 logged 9 and 10, so the mean is 9.5 and one standard error 0.5.
        Assert.Contains("actorDepth = 4,2,2000,9.5,9,10", rows);
        Assert.Contains("actorDepth = 16,2,2000,33.5,33,34", rows);
        Assert.Equal(1 + 2 * 3, rows.Length);

        // Dropping the two depth-16 runs leaves one group.
        foreach (var id in picked.Skip(2))
            await page.FindAll("[data-testid=compare-runs] .mud-chip-container").Single(c => c.TextContent.Trim() == $"#{id}").QuerySelector(".mud-chip-close-button")!.ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal("1", page.Find("[data-testid=compare-chart]").GetAttribute("data-groups")));
        Assert.EndsWith($"/compare?runs={picked[0]},{picked[1]}", Context.Services.GetRequiredService<NavigationManager>().Uri);
    }
}

using Crl.Benchmarks.Harness;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Tests.Support;
using Crl.Tests.Web;
using Crl.Web.Analysis;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit;

namespace Crl.Tests.EndToEnd;

/// <summary>
/// The analysis views in headless Chromium on synthetic runs of three of the paper's tasks (results shaped like its
/// Figure 1, at 80 %): the Aggregate view, Scaling against training FLOPs with the frontier and the paper's line, and
/// a depth plot with its critical depth. The screenshots are README's (docs/screenshots/).
/// </summary>
[Trait(Lanes.Trait, Lanes.Slow)]
[Collection(DashboardCollection.Name)]
public class AnalysisInBrowserTests
{
    private static readonly string[] Tasks = ["ant_big_maze", "humanoid", "arm_push_easy"];

    private static SyntheticEvaluation PaperShaped(Run run, int evaluation)
    {
        var paper = PaperReference.TimeAtGoal(run.Env, run.ActorDepth) ?? 0;
        double timeAtGoal = 0.8 * paper * (0.85 + 0.06 * run.Seed) + 3 * (evaluation - 2);
        double hours = 0.2 * (1 + run.ActorDepth / 8.0) * (evaluation + 1) / SyntheticRuns.Evaluations * (0.95 + 0.02 * run.Seed);
        return new SyntheticEvaluation(Math.Max(0, timeAtGoal), Math.Min(1, timeAtGoal / 500), hours * 3600);
    }

    [Fact]
    public async Task The_aggregate_view_and_the_scaling_pages_compute_axes_and_critical_depths_draw_and_the_page_downloads_what_the_api_writes()
    {
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?> { ["Crl:Workers:InProcess"] = "false" });
        var request = SyntheticSweeps.Request("paper-shaped depths", Tasks, [4, 8, 16, 32, 64], seeds: 5, widths: [256]) with { BatchSizes = [512] };
        request.Settings!["episodeLength"] = SyntheticSweeps.Json("1000");
        request.Settings["maxReplaySize"] = SyntheticSweeps.Json("1000");
        request.Settings["minReplaySize"] = SyntheticSweeps.Json("1000");
        request.Settings["totalEnvSteps"] = SyntheticSweeps.Json($"{32 * 1000 + SyntheticRuns.Evaluations * 32 * 50}");
        var sweep = await SyntheticRuns.WriteAsync(dashboard.Service<IDbContextFactory<ExperimentDb>>(), dashboard.DataDirectory, request, PaperShaped);

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = dashboard.Address.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        page.SetDefaultTimeout(180_000);

        await Browser.SignInAsync(page, $"/aggregate?sweepIds={sweep.Id}");
        // Asked of the browser itself: Playwright's WaitForURL has missed an address change on a loaded machine.
        await page.WaitForFunctionAsync("() => location.pathname === '/aggregate'");
        foreach (var chart in AggregateCharts.All)
            await page.WaitForSelectorAsync($"[data-testid=aggregate-{chart}] svg.main-svg");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.Artifacts, "aggregate.png"), FullPage = true });
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=aggregate-csv-intervals]"));
        var drawn = await File.ReadAllTextAsync((await download.PathAsync())!);
        using var api = new ApiClient(dashboard);
        Assert.Equal(await api.Http.GetStringAsync($"/api/aggregate.csv?sweepIds={sweep.Id}&chart=intervals"), drawn);
        Assert.Contains(",paper,mean,64,", drawn);

        await page.GotoAsync($"/scaling?sweepId={sweep.Id}&env=humanoid&axis=TrainingFlops");
        await page.WaitForSelectorAsync("[data-testid=scaling-chart] svg.main-svg");
        Assert.Equal("3", await page.Locator("[data-testid=scaling-chart]").GetAttributeAsync("data-lines"));   // ours, frontier, paper
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.Artifacts, "scaling-compute.png"), FullPage = true });

        await page.GotoAsync($"/scaling?sweepId={sweep.Id}");
        await page.WaitForSelectorAsync("[data-testid=critical-depths]");
        Assert.Equal(3, await page.Locator("[data-testid=critical-depths] tbody tr").CountAsync());
        Assert.Equal("8", await page.Locator("[data-testid=critical-depths] tr[data-task=ant_big_maze]").GetAttributeAsync("data-critical-depth"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.Artifacts, "scaling-critical-depth.png"), FullPage = true });

        // The verdicts and the per-depth means they rest on, as the page's button downloads them and the API writes them.
        var depths = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=critical-depths-csv]"));
        var listed = await File.ReadAllTextAsync((await depths.PathAsync())!);
        Assert.Equal(await api.Http.GetStringAsync($"/api/scaling/critical-depths.csv?sweepId={sweep.Id}&axis=ActorDepth&threshold=50"), listed);
        var ant = listed.Split('\n').Where(line => line.StartsWith("ant_big_maze,", StringComparison.Ordinal)).Select(line => line.TrimEnd('\r').Split(',')).ToList();
        Assert.Equal(5, ant.Count);   // depths 4 to 64
        Assert.All(ant, fields => Assert.Equal(("8", "50"), (fields[^3], fields[^1])));
    }
}

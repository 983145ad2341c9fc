using System.Globalization;
using Crl.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Crl.Tests.EndToEnd;

/// <summary>A researcher's first session, in headless Chromium against the real dashboard.</summary>
[Trait(Lanes.Trait, Lanes.Slow)]
[Collection(DashboardCollection.Name)]
public class SweepInBrowserTests
{
    [Fact]
    public async Task Sign_in_launch_a_two_run_sweep_watch_it_train_download_its_results_and_open_the_scaling_page()
    {
        await using var dashboard = await RunningDashboard.StartAsync();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = dashboard.Address.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        // The suite runs trainers and worker processes beside this test on two cores; a circuit can wait its turn.
        page.SetDefaultTimeout(180_000);

        // Sign in: every page sends an anonymous visitor to the form first.
        await Browser.SignInAsync(page, "/sweeps/new");
        await page.WaitForSelectorAsync("[data-testid=sweep-preview][data-interactive=true]");

        // Launch two PointMaze runs (depth 4 and 8) with a tiny budget.
        await page.FillAsync("[data-testid=field-name]", "e2e depth");
        await page.FillAsync("[data-testid=field-depths]", "4, 8");
        await page.FillAsync("[data-testid=field-seeds]", "1");
        foreach (var (label, value) in new[] { ("Parallel environments", "32"), ("Unroll length", "50"), ("Episode length", "100"),
                     ("SGD updates per training step", "10"), ("Evaluation episodes", "16"), ("Epochs (empty: 100, or fewer for small budgets)", "3") })
            await page.GetByLabel(label, new PageGetByLabelOptions { Exact = true }).FillAsync(value);
        await page.FillAsync("[data-testid=field-total-env-steps]", (32 * 1000 + 3 * 32 * 50).ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("[data-testid=preview-runs]")).ToHaveTextAsync("2");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.Artifacts, "1-new-sweep.png"), FullPage = true });
        await page.ClickAsync("[data-testid=launch-sweep]");

        // The sweep page shows both cells; open the first run and watch its time-at-goal curve gain points.
        try
        {
            // Blazor moves to the sweep page inside the document with history.pushState. Playwright's WaitForURL
            // missed that change on a loaded machine (it timed out with the browser already at /sweeps/1), so the
            // browser itself is asked for its address until it is the sweep's.
            await page.WaitForFunctionAsync(@"() => /^\/sweeps\/\d+$/.test(location.pathname)");
        }
        catch (TimeoutException)
        {
            // What the page showed instead (an error, the sign-in form) is the first thing to know when this fails.
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.Artifacts, "launch-did-not-navigate.png"), FullPage = true });
            throw new TimeoutException($"no sweep page after Launch; the browser is at {page.Url} showing: {await page.InnerTextAsync("body")}");
        }
        var sweepId = (await page.EvaluateAsync<string>("() => location.pathname")).Split('/')[^1];
        await page.WaitForSelectorAsync("[data-testid=sweep-grid] [data-run-id]");
        Assert.Equal(2, await page.Locator("[data-testid=sweep-grid] [data-run-id]").CountAsync());
        await page.Locator("[data-testid=sweep-grid] [data-run-id]").First.ClickAsync();
        var chart = page.Locator("[data-testid=metric-chart][data-title='Time at goal']");
        await chart.WaitForAsync();
        var before = int.Parse((await chart.GetAttributeAsync("data-points"))!, CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("[data-run-state=Succeeded]")).ToBeVisibleAsync(new() { Timeout = 240_000 });
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", "4");
        Assert.True(before < 4, $"the chart had {before} points before the run finished");
        await page.WaitForSelectorAsync("[data-testid=metric-chart] svg.main-svg");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.Artifacts, "2-run.png"), FullPage = true });
        // The last evaluation's paths over the U-maze's walls.
        var trajectories = page.Locator("[data-testid=trajectory-chart]");
        await page.WaitForSelectorAsync("[data-testid=trajectory-chart] svg.main-svg");
        Assert.Equal((32 * 1000 + 3 * 32 * 50).ToString(CultureInfo.InvariantCulture), await trajectories.GetAttributeAsync("data-env-steps"));
        await trajectories.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Browser.Artifacts, "2-run-trajectories.png") });

        // Both runs succeed; the results CSV has one row per run.
        await page.GotoAsync($"/sweeps/{sweepId}");
        await Assertions.Expect(page.Locator("[data-testid=sweep-grid] [data-run-state=Succeeded]")).ToHaveCountAsync(2, new() { Timeout = 240_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.Artifacts, "3-sweep.png"), FullPage = true });
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=results-csv]"));
        var rows = (await File.ReadAllTextAsync((await download.PathAsync())!)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, rows.Length);
        Assert.Equal(["4", "8"], rows[1..].Select(r => r.Split(',')[2]).Order());
        Assert.All(rows[1..], r => Assert.Equal("Succeeded", r.Split(',')[8]));

        // The scaling page draws final time at goal against depth.
        await page.GotoAsync($"/scaling?sweepId={sweepId}");
        await page.WaitForSelectorAsync("[data-testid=scaling-chart] svg.main-svg");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.Artifacts, "4-scaling.png"), FullPage = true });
    }
}

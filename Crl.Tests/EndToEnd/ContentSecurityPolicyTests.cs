using Crl.Core.Training;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Microsoft.EntityFrameworkCore;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Crl.Tests.EndToEnd;

/// <summary>
/// The content security policy the server sends lets the dashboard itself work: in headless Chromium every page
/// renders, Blazor's circuit answers input, Plotly draws, Hangfire's dashboard loads, and the browser reports no
/// violation of the policy.
/// </summary>
[Trait(Lanes.Trait, Lanes.Slow)]
[Collection(DashboardCollection.Name)]
public class ContentSecurityPolicyTests
{
    [Fact]
    public async Task Every_page_works_under_the_policy_and_the_browser_reports_no_violation()
    {
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?> { ["Crl:Workers:InProcess"] = "false" });
        var sweep = await dashboard.Service<RunQueue>().LaunchAsync(QuickSweep.Request(seeds: [1, 2]));
        // Results and curves for the runs, as a finished run leaves them, so the Plotly charts have something to draw.
        await using (var db = await dashboard.Service<IDbContextFactory<ExperimentDb>>().CreateDbContextAsync())
        {
            foreach (var run in await db.Runs.ToListAsync())
            {
                (run.State, run.FinalTimeAtGoal, run.FinalSuccessRate, run.FinishedAt) = (RunState.Succeeded, 0.4 + run.Seed / 10.0, 0.5, DateTime.UtcNow);
                db.MetricPoints.AddRange(Enumerable.Range(1, 5).Select(i => new MetricPoint { RunId = run.Id, Name = MetricNames.EpisodeSuccess, Step = i * 1000, WallTime = i, Value = i / 10.0 }));
            }
            await db.SaveChangesAsync();
        }
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = dashboard.Address.ToString() });
        page.SetDefaultTimeout(120_000);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (violations) violations.Add($"{page.Url}: {message.Text}");
        };
        await page.AddInitScriptAsync("""
            window.__csp = [];
            document.addEventListener('securitypolicyviolation', e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
            """);
        async Task CollectAsync()
        {
            foreach (var v in await page.EvaluateAsync<string[]>("window.__csp")) lock (violations) violations.Add($"{page.Url}: {v}");
        }

        await Browser.SignInAsync(page, "/sweeps/new");
        await page.WaitForSelectorAsync("[data-testid=sweep-preview]");
        // Blazor's circuit (a WebSocket under connect-src 'self') answers input: the preview recounts.
        await page.WaitForTimeoutAsync(1000);
        await page.FillAsync("[data-testid=field-name]", "csp");
        await page.FillAsync("[data-testid=field-depths]", "4");
        await Assertions.Expect(page.Locator("[data-testid=preview-runs]")).ToHaveTextAsync("3");
        await CollectAsync();

        var runId = sweep.Runs[0].Id;
        foreach (var (path, ready) in new[]
        {
            ("/", ".mud-appbar"), ("/runs", $"text=#{runId}"), ("/sweeps", ".mud-table"), ($"/sweeps/{sweep.Id}", "[data-testid=sweep-grid]"),
            ($"/runs/{runId}", "[data-testid=metric-chart] svg.main-svg"), ("/scaling", "[data-testid=scaling-chart] svg.main-svg"),
            ($"/compare?sweepId={sweep.Id}", "svg.main-svg"), ("/workers", ".mud-appbar"),
            ("/account/tokens", ".mud-appbar"), ("/hangfire", "canvas"),
        })
        {
            await page.GotoAsync(path);
            try
            {
                await page.WaitForSelectorAsync(ready, new PageWaitForSelectorOptions { Timeout = 60_000 });
            }
            catch (TimeoutException)
            {
                violations.Add($"{path}: '{ready}' never appeared");
            }
            await page.WaitForTimeoutAsync(500);
            await CollectAsync();
        }
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.Artifacts, "csp-hangfire.png") });

        Assert.True(violations.Count == 0, "pages that did not render, and content security policy violations:\n" + string.Join("\n", violations.Distinct()));
    }
}

using System.Globalization;
using Bunit;
using Crl.Benchmarks.Harness;
using Crl.Tests.Support;
using Crl.Web.Analysis;
using Crl.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Plotly.Blazor.Traces;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>The Aggregate view over synthetic runs written through the real persistence into a real SQLite file.</summary>
public class AggregatePageTests : PageTestBase
{
    private long sweepId;
    private List<long> runIds = [];

    protected override async Task SeedAsync()
    {
        var sweep = await SyntheticRuns.WriteAsync(DbFactory, DataDirectory,
            SyntheticSweeps.Request("depths", ["point_u_maze", "point_big_maze"], [4, 8, 16], seeds: 4), SyntheticSweeps.DeeperIsBetter);
        sweepId = sweep.Id;
        runIds = [.. sweep.Runs.Select(r => r.Id).Order()];
    }

    private IRenderedComponent<Aggregate> Open(string query)
    {
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/aggregate?{query}");
        var page = Context.Render<Aggregate>();
        page.WaitForAssertion(() => Assert.NotNull(page.Instance.Report));
        return page;
    }

    private async Task<List<string[]>> CsvRowsAsync(IRenderedComponent<Aggregate> page, string chart)
    {
        await page.Find($"[data-testid=aggregate-csv-{chart}]").ClickAsync(new());
        var csv = (string)Context.JSInterop.Invocations.Last(i => i.Identifier == "crlDownload").Arguments[1]!;
        return [.. csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(','))];
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_sweep_is_grouped_by_depth_against_the_shallowest_and_each_csv_holds_exactly_what_its_chart_draws()
    {
        var page = Open($"sweepIds={sweepId}");
        var report = page.Instance.Report!;

        Assert.Equal(("actorDepth", "4", 24), (report.GroupBy, report.Baseline, report.Runs));
        Assert.Equal(["4", "8", "16"], report.Result.Groups.Select(g => g.Group));
        Assert.Contains("24 runs on 2 tasks", page.Find("[data-testid=aggregate-summary]").TextContent);
        // Depth 16 sits ~65 above the others: its IQM interval lies wholly above depth 4's, and it beats depth 4 in every pair.
        Assert.True(report.Result.Groups[2].Iqm.Lower > report.Result.Groups[0].Iqm.Upper);

        // Interval estimates: every marker and its error bar is a CSV row's value, lower and upper.
        var drawn = page.Instance.Traces[AggregateCharts.Intervals].Cast<Scatter>()
            .SelectMany(t => t.X.Select((x, i) => (
                Statistic: t.Name!.Split(' ')[0], Group: (string)x, Value: (double)t.Y[i],
                Lower: (double)t.Y[i] - (double)t.ErrorY.ArrayMinus[i], Upper: (double)t.Y[i] + (double)t.ErrorY.Array[i])))
            .ToList();
        var intervals = await CsvRowsAsync(page, AggregateCharts.Intervals);
        Assert.Equal(4 * 3, intervals.Count);   // no paper rows: point mazes are not the paper's tasks
        Assert.Equal(intervals.Select(r => (r[2], r[3])), drawn.Select(d => (d.Statistic, d.Group)));
        for (int i = 0; i < drawn.Count; i++)
        {
            Assert.Equal(Number(intervals[i][6]), drawn[i].Value);
            Assert.Equal(Number(intervals[i][7]), drawn[i].Lower, 9);
            Assert.Equal(Number(intervals[i][8]), drawn[i].Upper, 9);
        }

        // Profiles: per group a band (upper, lower) and the line.
        var profiles = await CsvRowsAsync(page, AggregateCharts.Profiles);
        var profileTraces = page.Instance.Traces[AggregateCharts.Profiles].Cast<Scatter>().ToList();
        Assert.Equal(3 * 3, profileTraces.Count);
        foreach (var (group, k) in new[] { "4", "8", "16" }.Select((g, k) => (g, k)))
        {
            var rows = profiles.Where(r => r[3] == group).ToList();
            Assert.Equal(rows.Select(r => Number(r[5])), profileTraces[3 * k + 2].X.Cast<double>());
            Assert.Equal(rows.Select(r => Number(r[6])), profileTraces[3 * k + 2].Y.Cast<double>());
            Assert.Equal(rows.Select(r => Number(r[8])), profileTraces[3 * k].Y.Cast<double>());
            Assert.Equal(rows.Select(r => Number(r[7])), profileTraces[3 * k + 1].Y.Cast<double>());
        }

        // Probability of improvement over depth 4: one marker per other group.
        var improvement = await CsvRowsAsync(page, AggregateCharts.Improvement);
        var marker = Assert.Single(page.Instance.Traces[AggregateCharts.Improvement].Cast<Scatter>());
        Assert.Equal(["8 vs 4", "16 vs 4"], marker.Y.Cast<string>());
        Assert.Equal(improvement.Select(r => Number(r[6])), marker.X.Cast<double>());
        Assert.Equal(1.0, (double)marker.X[1]);
        Assert.Equal((3 * (AggregateReport.ProfileSteps + 1)).ToString(CultureInfo.InvariantCulture), page.Find("[data-testid=aggregate-profiles]").GetAttribute("data-rows"));
    }

    [Fact]
    public void Another_baseline_and_metric_from_the_address_and_ticked_runs_instead_of_a_sweep()
    {
        var page = Open($"sweepIds={sweepId}&baseline=16&metric=Success");
        var report = page.Instance.Report!;
        Assert.Equal(("16", AggregateMetric.Success, 1.0), (report.Baseline, report.Metric, report.OptimalityThreshold));
        Assert.All(report.Rows(AggregateCharts.Improvement), r => Assert.True(r.Value < 0.5, $"{r.Group} vs 16: {r.Value}"));

        // Eight ticked runs: depth 4 and 8 on the first task, as the Runs page's "Aggregate selected" sends them.
        var ticked = runIds.Take(8).ToList();
        var picked = Open($"runs={string.Join(',', ticked)}");
        Assert.Equal(8, picked.Instance.Report!.Runs);
        Assert.Equal(8, picked.FindAll("[data-testid=aggregate-runs] .mud-chip").Count);
    }
}

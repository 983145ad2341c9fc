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

/// <summary>The Scaling page over synthetic runs: critical depths marked and listed, and the compute axes with their frontier.</summary>
public class ScalingPageTests : PageTestBase
{
    private long sweepId;

    protected override async Task SeedAsync()
    {
        // Two widths: width 64 jumps at depth 16 (DeeperIsBetter); width 256 stays flat because depth does not enter.
        var sweep = await SyntheticRuns.WriteAsync(DbFactory, DataDirectory,
            SyntheticSweeps.Request("depths", ["point_u_maze"], [4, 8, 16], seeds: 4, widths: [64, 256]),
            (run, e) => run.ActorWidth == 64 ? SyntheticSweeps.DeeperIsBetter(run, e) : SyntheticSweeps.DeeperIsBetter(run, e) with { TimeAtGoal = 20 + run.Seed % 4 + e });
        sweepId = sweep.Id;
    }

    private IRenderedComponent<Scaling> Open(string query)
    {
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/scaling?{query}");
        var page = Context.Render<Scaling>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.Instance.Lines));
        return page;
    }

    [Fact]
    public void Each_line_has_its_critical_depth_starred_on_the_chart_and_listed_or_none_found()
    {
        var page = Open($"sweepId={sweepId}");
        // The lines come first; the critical depths follow when their bootstrap is done.
        page.WaitForElement("[data-testid=critical-depths]");

        var rows = page.FindAll("[data-testid=critical-depths] tbody tr");
        Assert.Equal(2, rows.Count);
        var jumping = rows.Single(r => r.TextContent.Contains("width 64"));
        var flat = rows.Single(r => r.TextContent.Contains("width 256"));
        Assert.Equal("16", jumping.GetAttribute("data-critical-depth"));
        Assert.Equal("none", flat.GetAttribute("data-critical-depth"));
        Assert.Contains("none found", flat.TextContent);
        var star = page.Instance.Traces.Cast<Scatter>().Single(t => t.Name == "critical depth");
        Assert.Equal([(object)16], star.X);
        var series = page.Instance.CriticalDepths.Single(c => c.Depth == 16);
        Assert.Equal(series.Depths.Single(d => d.Depth == 16).Mean.Value, (double)star.Y[0]);
        Assert.Contains(ScalingAnalysis.LineLabel(series), page.Instance.Lines.Select(l => l.Label));
    }

    [Fact]
    public void Against_training_flops_each_configuration_is_a_labelled_point_and_the_frontier_a_step_line()
    {
        var page = Open($"sweepId={sweepId}&axis=TrainingFlops");

        Assert.Equal([ScalingLineKind.Measured, ScalingLineKind.Frontier], page.Instance.Lines.Select(l => l.Kind));
        Assert.Empty(page.FindAll("[data-testid=critical-depths]"));
        var traces = page.Instance.Traces.Cast<Scatter>().ToList();
        Assert.Equal(page.Instance.Lines[0].Points.Select(p => p.Config), traces[0].TextArray);
        Assert.Equal(6, traces[0].X.Count);   // 3 depths × 2 widths
        Assert.Equal(Plotly.Blazor.Traces.ScatterLib.LineLib.ShapeEnum.Hv, traces[1].Line.Shape);
        // The frontier never falls as the budget grows, and it ends at the best point.
        var frontier = page.Instance.Lines[1].Points;
        Assert.True(frontier.Zip(frontier.Skip(1)).All(p => p.Second.Mean >= p.First.Mean && p.Second.X >= p.First.X));
        Assert.Equal(page.Instance.Lines[0].Points.Max(p => p.Mean), frontier[^1].Mean);
    }
}

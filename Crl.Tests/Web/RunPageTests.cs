using Bunit;
using Crl.Jobs.Persistence.Model;
using Crl.Tests.Support;
using Crl.Web.Components.Charts;
using Crl.Web.Components.Pages;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>The run page over a real SQLite file: curves from stored points, and new points pushed by the metric feed.</summary>
public class RunPageTests : PageTestBase
{
    private long runId;

    protected override async Task SeedAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var run = new Run
        {
            Env = "point_u_maze", ActorDepth = 16, CriticDepth = 16, ActorWidth = 256, CriticWidth = 256, BatchSize = 256, Seed = 3,
            ConfigJson = "{\"env\":\"point_u_maze\"}", State = RunState.Running, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        runId = run.Id;
        for (int epoch = 0; epoch < 3; epoch++)
        {
            db.MetricPoints.Add(new MetricPoint { RunId = runId, Name = "eval/episode_success", Step = epoch * 1000, WallTime = epoch, Value = 10 * epoch });
            db.MetricPoints.Add(new MetricPoint { RunId = runId, Name = "training/critic_loss", Step = epoch * 1000, WallTime = epoch, Value = 5 - epoch });
        }
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Stored_points_are_drawn_and_a_new_point_reaches_the_open_page()
    {
        var page = Context.Render<RunPage>(p => p.Add(x => x.Id, runId));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindComponents<MetricChart>()));

        var timeAtGoal = Chart(page, "Time at goal");
        Assert.Equal(3, timeAtGoal.PointCount);
        Assert.Equal([0.0, 10, 20], DrawnY(timeAtGoal));
        Assert.Equal(3, Chart(page, "Critic loss").PointCount);
        Assert.Equal("line,env steps,value\r\neval/episode_success,0,0\r\neval/episode_success,1000,10\r\neval/episode_success,2000,20\r\n",
            await timeAtGoal.CsvAsync());
        Assert.Contains("point_u_maze · depth 16/16 · width 256 · batch 256 · seed 3", page.Markup);

        await Metrics.PublishAsync(CancellationToken.None); // the feed notes where the stored points end
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            db.MetricPoints.Add(new MetricPoint { RunId = runId, Name = "eval/episode_success", Step = 3000, WallTime = 3, Value = 42 });
            await db.SaveChangesAsync();
        }
        await Metrics.PublishAsync(CancellationToken.None);

        // Traces are what the chart rebuilt and sent to plotly.js on its last render, not the page's live lists.
        page.WaitForAssertion(() => Assert.Equal([0.0, 10, 20, 42], DrawnY(Chart(page, "Time at goal"))));
        Assert.Equal(3, Chart(page, "Critic loss").PointCount);

        // The chart's download button hands the browser exactly what is drawn.
        await page.FindComponents<MetricChart>().First(c => c.Instance.Title == "Time at goal").Find("[data-testid=chart-csv]").ClickAsync(new());
        var download = Context.JSInterop.Invocations.Single(i => i.Identifier == "crlDownload");
        Assert.Equal("time-at-goal.csv", download.Arguments[0]);
        Assert.EndsWith("eval/episode_success,3000,42\r\n", (string)download.Arguments[1]!);
    }

    private static double[] DrawnY(MetricChart chart) =>
        [.. ((Plotly.Blazor.Traces.Scatter)chart.Traces.Single()).Y.Cast<double>()];

    private static MetricChart Chart(IRenderedComponent<RunPage> page, string title) =>
        page.FindComponents<MetricChart>().Select(c => c.Instance).Single(c => c.Title == title);

}

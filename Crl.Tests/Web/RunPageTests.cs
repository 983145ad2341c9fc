using Bunit;
using Crl.Core.Training;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
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
        // No evaluation drawn over the maze is stored yet (tasks without a maze never store one): no panel.
        Assert.Empty(page.FindComponents<TrajectoryChart>());

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
        // Only the new point travels to the browser, and only for the chart that got one.
        page.WaitForState(() => Context.JSInterop.Invocations.Any(i => i.Identifier == "crlExtendTraces"));
        var extend = Assert.Single(Context.JSInterop.Invocations, i => i.Identifier == "crlExtendTraces");
        Assert.Equal([3], (IEnumerable<int>)extend.Arguments[1]!);   // the three drawn points stay
        Assert.Equal([3000.0], ((IEnumerable<IEnumerable<object>>)extend.Arguments[2]!).Single().Cast<double>());
        Assert.Equal([42.0], ((IEnumerable<IEnumerable<object>>)extend.Arguments[3]!).Single().Cast<double>());

        // The chart's download button hands the browser exactly what is drawn.
        await page.FindComponents<MetricChart>().First(c => c.Instance.Title == "Time at goal").Find("[data-testid=chart-csv]").ClickAsync(new());
        var download = Context.JSInterop.Invocations.Single(i => i.Identifier == "crlDownload");
        Assert.Equal("time-at-goal.csv", download.Arguments[0]);
        Assert.EndsWith("eval/episode_success,3000,42\r\n", (string)download.Arguments[1]!);
    }

    [Fact]
    public void The_prerendered_page_carries_each_chart_s_points_so_the_browser_draws_them_without_asking_again()
    {
        Context.Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", isInteractive: false));
        var page = Context.Render<RunPage>(p => p.Add(x => x.Id, runId));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("script[data-crl-plot]")));

        var figure = page.Find("script[data-crl-plot=chart-time-at-goal]");
        Assert.Matches("^[0-9A-F]{16}$", figure.GetAttribute("data-revision"));
        using var json = System.Text.Json.JsonDocument.Parse(figure.TextContent);
        var line = json.RootElement.GetProperty("data").EnumerateArray().Single();
        Assert.Equal("eval/episode_success", line.GetProperty("name").GetString());
        Assert.Equal([0.0, 1000, 2000], line.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([0.0, 10, 20], line.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal("lines", line.GetProperty("mode").GetString());
        Assert.Equal("env steps", json.RootElement.GetProperty("layout").GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString());
        // The charts are drawn before the page is interactive; their downloads need it, so they wait for it.
        var downloads = page.FindAll("[data-testid=chart-csv]");
        Assert.NotEmpty(downloads);
        Assert.All(downloads, button => Assert.True(button.HasAttribute("disabled")));
    }

    [Fact]
    public async Task The_latest_evaluation_is_drawn_over_the_maze_walls_and_a_new_one_replaces_it_live()
    {
        // Two U-maze episodes: one walks the top corridor to its goal in cell (1,3), one stops short of (3,1).
        var reached = new EvalPath(4, 12, true, [4.02f, 4.0f, 4.1f, 4.05f], [3.98f, 6f, 9f, 11.8f]);
        var missed = new EvalPath(12, 4, false, [3.95f, 4.5f, 5.3f], [4.1f, 4.2f, 4.2f]);
        TrajectoryFile.Write(Files.Trajectories(runId), new StoredTrajectories(2, 2000, UMaze(reached, missed)));

        var page = Context.Render<RunPage>(p => p.Add(x => x.Id, runId));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindComponents<TrajectoryChart>()));
        var chart = page.FindComponent<TrajectoryChart>().Instance;

        // Walls and the start cell as filled squares, rows down the page (vertical = world x), columns across (world y).
        var shapes = chart.PlotLayout.Shapes;
        Assert.Equal(18 + 1, shapes.Count);
        Assert.Equal((-2.0, 2.0, -2.0, 2.0), Bounds(shapes[0]));         // wall cell (0, 0)
        Assert.Equal((2.0, 6.0, 6.0, 10.0), Bounds(shapes[8]));          // wall cell (2, 1), below the start cell
        Assert.Equal((2.0, 6.0, 2.0, 6.0), Bounds(shapes[^1]));           // start cell (1, 1)
        Assert.Equal(TrajectoryChart.Reached, ((Plotly.Blazor.Traces.Scatter)chart.Traces[0]).Line.Color);
        Assert.Equal(TrajectoryChart.Missed, ((Plotly.Blazor.Traces.Scatter)chart.Traces[1]).Line.Color);
        Assert.Equal(reached.Y, Xs(chart.Traces[0]));
        Assert.Equal(reached.X, Ys(chart.Traces[0]));
        Assert.Equal([11.8f, 4.2f], Xs(chart.Traces[2]));                 // where each path ended
        Assert.Equal([12f, 4f], Xs(chart.Traces[3]));                     // the goals, at world y 12 and 4
        // A top view: one metre is as long down the page as across it, and row 0 is at the top.
        var vertical = chart.PlotLayout.YAxis[0];
        Assert.Equal(("x", 1m), (vertical.ScaleAnchor, vertical.ScaleRatio!.Value));
        Assert.Equal([18.0, -2.0], vertical.Range.Cast<double>());
        Assert.Contains("Evaluation at env step 2,000 (epoch 2)", page.Find("[data-testid=trajectory-caption]").TextContent);
        Assert.Contains("1 reached their goal (green) and 1 did not (red)", chart.Caption);

        // The download holds exactly the drawn points of every path.
        await page.FindComponent<TrajectoryChart>().Find("[data-testid=chart-csv]").ClickAsync(new());
        var download = Context.JSInterop.Invocations.Single(i => i.Identifier == "crlDownload");
        Assert.Equal("trajectories-env-step-2000.csv", download.Arguments[0]);
        var rows = ((string)download.Arguments[1]!).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("episode,step,x,y,goal_x,goal_y,reached_goal", rows[0]);
        Assert.Equal(1 + 4 + 3, rows.Length);
        Assert.Equal("1,3,4.05,11.8,4,12,true", rows[4]);
        Assert.Equal("2,0,3.95,4.1,12,4,false", rows[5]);

        // The next evaluation: the recorder replaces the file, then writes its points; the open page hears of the points.
        await Metrics.PublishAsync(CancellationToken.None);
        var later = new EvalPath(4, 12, true, [4f, 4f], [4f, 12f]);
        TrajectoryFile.Write(Files.Trajectories(runId), new StoredTrajectories(3, 3000, UMaze(later)));
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            db.MetricPoints.Add(new MetricPoint { RunId = runId, Name = "eval/episode_success", Step = 3000, WallTime = 3, Value = 42 });
            await db.SaveChangesAsync();
        }
        await Metrics.PublishAsync(CancellationToken.None);

        page.WaitForAssertion(() => Assert.Contains("env step 3,000 (epoch 3)", page.Find("[data-testid=trajectory-caption]").TextContent));
        chart = page.FindComponent<TrajectoryChart>().Instance;
        Assert.Equal([4f, 12f], Xs(chart.Traces[0]));
        Assert.Equal(3, chart.Traces.Count); // one path, its end, its goal
    }

    private static EvalTrajectories UMaze(params EvalPath[] paths) =>
        new("point_u_maze", "u", 4, ["#####", "#...#", "###.#", "#...#", "#####"], 1, 1, paths);

    private static (double, double, double, double) Bounds(Plotly.Blazor.LayoutLib.Shape shape) =>
        ((double)shape.X0, (double)shape.X1, (double)shape.Y0, (double)shape.Y1);

    private static float[] Xs(Plotly.Blazor.ITrace trace) => [.. ((Plotly.Blazor.Traces.Scatter)trace).X.Cast<float>()];

    private static float[] Ys(Plotly.Blazor.ITrace trace) => [.. ((Plotly.Blazor.Traces.Scatter)trace).Y.Cast<float>()];

    private static double[] DrawnY(MetricChart chart) =>
        [.. ((Plotly.Blazor.Traces.Scatter)chart.Traces.Single()).Y.Cast<double>()];

    private static MetricChart Chart(IRenderedComponent<RunPage> page, string title) =>
        page.FindComponents<MetricChart>().Select(c => c.Instance).Single(c => c.Title == title);

}

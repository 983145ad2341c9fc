using Crl.Jobs.Persistence.Model;
using Crl.Web.Analysis;
using Crl.Web.Exports;
using Xunit;

namespace Crl.Tests.Web;

public class ScalingAnalysisTests
{
    private static Run Result(int depth, long seed, double final, int width = 256, int batch = 256) => new()
    {
        Env = "point_u_maze", ActorDepth = depth, CriticDepth = depth, ActorWidth = width, CriticWidth = width, BatchSize = batch,
        Seed = seed, ConfigJson = "{}", State = RunState.Succeeded, FinalTimeAtGoal = final,
    };

    [Fact]
    public void Each_depth_is_the_mean_over_seeds_with_one_standard_error()
    {
        Run[] runs = [Result(4, 1, 10), Result(4, 2, 20), Result(4, 3, 30), Result(16, 1, 100), Result(16, 2, 140)];

        var line = Assert.Single(ScalingAnalysis.Lines(runs, ScalingAxis.ActorDepth));

        Assert.Equal("point_u_maze · width 256 · batch 256", line.Label);
        Assert.Equal([4.0, 16], line.Points.Select(p => p.X));
        Assert.Equal(20, line.Points[0].Mean, 9);
        Assert.Equal(10 / Math.Sqrt(3), line.Points[0].StandardError, 9);   // sd 10 over 3 seeds
        Assert.Equal(120, line.Points[1].Mean, 9);
        Assert.Equal(Math.Sqrt(800) / Math.Sqrt(2), line.Points[1].StandardError, 9);
        Assert.Equal([3, 2], line.Points.Select(p => p.Seeds));
    }

    [Fact]
    public void Runs_differing_in_another_axis_make_separate_lines_and_unfinished_runs_are_left_out()
    {
        Run[] runs = [Result(4, 1, 10), Result(4, 1, 50, width: 1024), Result(8, 1, 70, width: 1024), new() { Env = "point_u_maze", ConfigJson = "{}", ActorDepth = 8, CriticDepth = 8, ActorWidth = 256, BatchSize = 256 }];

        var lines = ScalingAnalysis.Lines(runs, ScalingAxis.ActorDepth);

        Assert.Equal(["point_u_maze · width 1024 · batch 256", "point_u_maze · width 256 · batch 256"], lines.Select(l => l.Label));
        Assert.Single(lines[1].Points);
        Assert.Equal(0, lines[1].Points[0].StandardError);
    }

    [Fact]
    public void The_papers_numbers_join_a_depth_plot_of_a_paper_task()
    {
        var lines = ScalingChartData.Lines([Result(4, 1, 5)], ScalingAxis.ActorDepth, "ant_big_maze_eval", withPaper: true);

        var paper = lines.Single(l => l.Label.StartsWith("paper"));
        Assert.Equal([61.0, 320, 424, 439, 441], paper.Points.Select(p => p.Mean));
        Assert.Empty(ScalingChartData.Lines([], ScalingAxis.Width, "ant_big_maze", withPaper: true));
    }
}

public class DepthGridTests
{
    private static Run Result(int actor, int critic, double final) => new()
    {
        Env = "point_u_maze", ActorDepth = actor, CriticDepth = critic, ActorWidth = 256, BatchSize = 256, ConfigJson = "{}", FinalTimeAtGoal = final,
    };

    [Fact]
    public void Each_cell_is_the_mean_over_seeds_rows_are_critic_depths_and_missing_pairs_are_empty()
    {
        var grid = DepthGrid.Of([Result(4, 4, 10), Result(4, 4, 20), Result(16, 4, 40), Result(4, 16, 5)]);

        Assert.True(grid.IsGrid);
        Assert.Equal([4, 16], grid.ActorDepths);
        Assert.Equal([4, 16], grid.CriticDepths);
        Assert.Equal([15.0, 40], grid.Mean[0]);
        Assert.Equal([5.0, null], grid.Mean[1]);
    }

    [Fact]
    public async Task The_heat_map_csv_has_one_row_per_drawn_cell()
    {
        var grid = DepthGrid.Of([Result(4, 4, 10), Result(4, 4, 20), Result(16, 4, 40), Result(4, 16, 5)]);
        using var csv = new StringWriter();

        await CsvExports.WriteDepthGridAsync(csv, grid);

        Assert.Equal("actor_depth,critic_depth,mean_final_time_at_goal\r\n4,4,15\r\n16,4,40\r\n4,16,5\r\n", csv.ToString());
    }
}

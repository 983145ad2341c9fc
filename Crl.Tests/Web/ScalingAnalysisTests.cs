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

/// <summary>Performance against compute and the critical depths of a depth plot.</summary>
public class ComputeScalingTests
{
    private static Run Result(long id, int depth, int width, long seed, double final) => new()
    {
        Id = id, Env = "point_u_maze", ActorDepth = depth, CriticDepth = depth, ActorWidth = width, CriticWidth = width, BatchSize = 256,
        Seed = seed, ConfigJson = "{}", State = RunState.Succeeded, FinalTimeAtGoal = final,
    };

    [Fact]
    public void Each_configuration_is_one_labelled_point_at_its_mean_cost_and_the_frontier_steps_up_only_where_a_costlier_one_does_better()
    {
        // Costs: depth 4 w256 (1 h, 1.2 h) → 10; depth 4 w1024 (3 h) → 8: dearer and worse; depth 16 w256 (5 h) → 40.
        Run[] runs = [Result(1, 4, 256, 1, 9), Result(2, 4, 256, 2, 11), Result(3, 4, 1024, 1, 8), Result(4, 16, 256, 1, 40)];
        var hours = new Dictionary<long, RunCost> { [1] = new(1e12, 100, 1.0), [2] = new(1e12, 100, 1.2), [3] = new(4e12, 400, 3), [4] = new(3e12, 300, 5) };

        var lines = ScalingAnalysis.ComputeLines(runs, ScalingAxis.WallClockHours, hours);

        // The batch is the same throughout, so the line says it; depth and width label the points.
        Assert.Equal([("point_u_maze · batch 256", ScalingLineKind.Measured), ("frontier: point_u_maze · batch 256", ScalingLineKind.Frontier)], lines.Select(l => (l.Label, l.Kind)));
        var points = lines[0].Points;
        Assert.Equal(["depth 4 · width 256", "depth 4 · width 1024", "depth 16 · width 256"], points.Select(p => p.Config));
        Assert.Equal([1.1, 3, 5], points.Select(p => Math.Round(p.X, 12)));
        Assert.Equal([10.0, 8, 40], points.Select(p => p.Mean));
        Assert.Equal([(1.1, 10.0), (5, 40)], lines[1].Points.Select(p => (Math.Round(p.X, 12), p.Mean)));

        // On FLOPs the wide net is the costliest, so the frontier carries depth 16's 40 on to it.
        var flops = ScalingAnalysis.ComputeLines(runs, ScalingAxis.TrainingFlops, hours);
        Assert.Equal([(1e12, 10.0), (3e12, 40), (4e12, 40)], flops[1].Points.Select(p => (p.X, p.Mean)));
    }

    [Fact]
    public async Task The_csv_of_a_compute_axis_names_each_points_configuration_and_each_lines_kind()
    {
        Run[] runs = [Result(1, 4, 256, 1, 9), Result(2, 16, 256, 1, 40)];
        var lines = ScalingAnalysis.ComputeLines(runs, ScalingAxis.Parameters, new Dictionary<long, RunCost> { [1] = new(1, 100, null), [2] = new(2, 300, null) });
        using var csv = new StringWriter();

        await CsvExports.WriteScalingAsync(csv, ScalingAxis.Parameters, lines);

        Assert.Equal(
            "line,Parameters,mean_final_time_at_goal,standard_error,seeds,kind,config\r\n" +
            "point_u_maze · width 256 · batch 256,100,9,0,1,Measured,depth 4\r\n" +
            "point_u_maze · width 256 · batch 256,300,40,0,1,Measured,depth 16\r\n" +
            "frontier: point_u_maze · width 256 · batch 256,100,9,0,1,Frontier,depth 4\r\n" +
            "frontier: point_u_maze · width 256 · batch 256,300,40,0,1,Frontier,depth 16\r\n", csv.ToString());
    }

    [Fact]
    public void The_papers_compute_line_is_its_depths_at_its_own_configs_cost_and_its_own_hours()
    {
        var hours = PaperReference.ForCompute("humanoid", ScalingAxis.WallClockHours)!;
        Assert.Equal(ScalingLineKind.Paper, hours.Kind);
        Assert.StartsWith("paper: humanoid", hours.Label);
        Assert.Equal([1.48, 2.13, 3.40, 5.92, 10.99], hours.Points.Select(p => p.X));
        Assert.Equal([12.5, 101, 522, 639, 650], hours.Points.Select(p => p.Mean));
        var flops = PaperReference.ForCompute("humanoid", ScalingAxis.TrainingFlops)!;
        Assert.True(flops.Points.Zip(flops.Points.Skip(1)).All(p => p.First.X < p.Second.X), "deeper nets cost more FLOPs");
        Assert.Null(PaperReference.ForCompute("point_u_maze", ScalingAxis.TrainingFlops));
    }

    [Fact]
    public void Each_line_of_a_depth_plot_gets_its_critical_depth_or_none()
    {
        // Width 256 jumps from ~10 to ~100 at depth 16; width 1024 climbs steadily by 2.
        var runs = new List<Run>();
        long id = 0;
        foreach (var seed in Enumerable.Range(0, 8))
        {
            foreach (var (depth, mean) in new[] { (4, 10.0), (8, 11), (16, 100), (32, 101) }) runs.Add(Result(++id, depth, 256, seed, mean + seed % 3));
            foreach (var (depth, mean) in new[] { (4, 10.0), (8, 12), (16, 14) }) runs.Add(Result(++id, depth, 1024, seed, mean + seed % 3));
        }

        var series = ScalingAnalysis.CriticalDepths(runs, ScalingAxis.ActorDepth, threshold: 20, new BootstrapSettings(500, 1));

        Assert.Equal(2, series.Count);
        var labels = ScalingAnalysis.Lines(runs, ScalingAxis.ActorDepth).Select(l => l.Label).ToList();
        Assert.All(series, s => Assert.Contains(ScalingAnalysis.LineLabel(s), labels));
        Assert.Equal(16, series.Single(s => s.OtherAxes.Contains("width 256")).Depth);
        Assert.Null(series.Single(s => s.OtherAxes.Contains("width 1024")).Depth);
        Assert.Empty(ScalingAnalysis.CriticalDepths(runs, ScalingAxis.Width, 20, new BootstrapSettings(500, 1)));
    }
}

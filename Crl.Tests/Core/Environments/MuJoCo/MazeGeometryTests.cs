using Crl.Core.Environments;
using Crl.Core.Environments.Mazes;
using Crl.Core.Networks;
using Crl.Core.Training;
using Xunit;
using static TorchSharp.torch;

namespace Crl.Tests.Core.Environments.MuJoCo;

/// <summary>The MuJoCo mazes expose their floor plan, so their evaluations are drawn over the walls like PointMaze's.</summary>
public class MazeGeometryTests
{
    [Theory]
    [InlineData("ant_u4_maze_eval", "u4", 4.0)]
    [InlineData("ant_hardest_maze", "hardest", 4.0)]
    [InlineData("humanoid_big_maze_eval", "big", 2.0)]
    [InlineData("ant", null, 0.0)]
    [InlineData("humanoid", null, 0.0)]
    public void Maze_tasks_expose_their_layout_and_cell_size_and_open_floor_tasks_none(string id, string? layout, double cellSize)
    {
        using var env = (IDisposable)EnvRegistry.Create(id, 1, 10);

        var maze = ((IMazeEnv)env).Maze;

        Assert.Equal(layout, maze?.Layout.Name);
        Assert.Equal(cellSize, maze?.CellSize ?? 0);
    }

    [Fact]
    public void An_ant_maze_evaluation_records_paths_from_the_start_cell()
    {
        var env = EnvRegistry.Create("ant_u4_maze_eval", 2, 20);
        using var actor = new GaussianActor(env.Spec.ObservationDim, env.Spec.ActionDim, 16, 4);
        using var evaluator = new Evaluator(env);

        var trajectories = evaluator.Run(actor, CPU, seed: 2).Trajectories!;

        Assert.Equal(2, trajectories.Paths.Count);
        Assert.All(trajectories.Paths, path =>
        {
            // U4's start cell (2, 1) is centred at (8, 4); the ant's reset noise is ±0.1 on x and y.
            Assert.InRange(path.X[0], 7.9, 8.1);
            Assert.InRange(path.Y[0], 3.9, 4.1);
            Assert.InRange(path.X.Length, 1, 20);
            Assert.Equal(path.X.Length, path.Y.Length);
        });
    }
}

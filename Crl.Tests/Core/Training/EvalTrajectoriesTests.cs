using Crl.Core.Environments;
using Crl.Core.Environments.Mazes;
using Crl.Core.Networks;
using Crl.Core.Training;
using Xunit;
using static TorchSharp.torch;

namespace Crl.Tests.Core.Training;

/// <summary>The top view of an evaluation: paths recorded by the real evaluator on a real PointMaze with a real actor.</summary>
public class EvalTrajectoriesTests
{
    static GaussianActor TinyActor() => new(PointMaze.StateDim + PointMaze.GoalDim, PointMaze.ActionDim, width: 16, depth: 4);

    /// <summary>An actor whose deterministic action is tanh(μ) = tanh(bias): it always heads the same way.</summary>
    static GaussianActor HeadingActor(float ax, float ay)
    {
        var actor = TinyActor();
        using (no_grad())
        {
            var parameters = actor.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            parameters["mean.weight"].zero_();
            using var bias = tensor(new[] { ax, ay });
            parameters["mean.bias"].copy_(bias);
        }
        return actor;
    }

    [Fact]
    public void Paths_match_the_env_positions_step_by_step()
    {
        using var actor = TinyActor();
        using var evaluator = new Evaluator(EnvRegistry.Create("point_u_maze", 12, 40));

        var trajectories = evaluator.Run(actor, CPU, seed: 11).Trajectories!;

        // The same episodes rolled by hand: a fresh env with the evaluator's seed and the deterministic actor.
        var env = (PointMaze)EnvRegistry.Create("point_u_maze", 12, 40);
        env.Reset(11);
        var actions = new float[12 * PointMaze.ActionDim];
        Assert.Equal(8, trajectories.Paths.Count); // the first 8 of 12 eval episodes
        for (int t = 0; t < 5; t++)
        {
            for (int i = 0; i < trajectories.Paths.Count; i++)
            {
                Assert.Equal(env.Observations[i * 6], trajectories.Paths[i].X[t]);
                Assert.Equal(env.Observations[i * 6 + 1], trajectories.Paths[i].Y[t]);
                Assert.Equal(env.Observations[i * 6 + 4], trajectories.Paths[i].GoalX);
                Assert.Equal(env.Observations[i * 6 + 5], trajectories.Paths[i].GoalY);
            }
            using var scope = NewDisposeScope();
            using (no_grad()) actor.Deterministic(tensor(env.Observations.ToArray(), [12, 6])).data<float>().CopyTo(actions);
            env.Step(actions);
        }
        Assert.Contains(trajectories.Paths, p => p.X[4] != p.X[0] || p.Y[4] != p.Y[0]);
    }

    [Fact]
    public void Paths_start_at_the_start_cell_stay_out_of_the_walls_and_are_marked_by_whether_they_reached_their_goal()
    {
        // Heading +y along the U-maze's top corridor: the agent passes the goals of cells (1,2) and (1,3), then presses
        // against the wall at (1,4) for the rest of the episode; goals round the bend stay out of reach.
        using var actor = HeadingActor(0, 5);
        var maze = (PointMaze)EnvRegistry.Create("point_u_maze", 16, 150);
        using var evaluator = new Evaluator(maze);

        var result = evaluator.Run(actor, CPU, seed: 3);

        var trajectories = result.Trajectories!;
        Assert.Equal(("point_u_maze", "u", 4.0, 1, 1), (trajectories.Env, trajectories.Maze, trajectories.CellSize, trajectories.StartRow, trajectories.StartColumn));
        Assert.Equal(["#####", "#...#", "###.#", "#...#", "#####"], trajectories.Walls);
        Assert.Equal(8, trajectories.Paths.Count);
        foreach (var path in trajectories.Paths)
        {
            Assert.Equal(150, path.X.Length);
            Assert.InRange(path.X[0], 4 - PointMaze.ResetNoise, 4 + PointMaze.ResetNoise);
            Assert.InRange(path.Y[0], 4 - PointMaze.ResetNoise, 4 + PointMaze.ResetNoise);
            for (int t = 0; t < path.X.Length; t++)
                Assert.False(maze.Blocked(path.X[t], path.Y[t]), $"({path.X[t]}, {path.Y[t]}) overlaps a wall");
            Assert.True(path.Y[^1] > 13, $"the agent stopped at y = {path.Y[^1]} before the wall");
            var onTheWay = path.GoalX == 4 && path.GoalY is 8 or 12;
            Assert.Equal(onTheWay, path.Success);
        }
        Assert.Contains(trajectories.Paths, p => p.Success);
        Assert.Contains(trajectories.Paths, p => !p.Success);
    }

    [Fact]
    public void Tasks_without_a_maze_record_no_trajectories()
    {
        using var actor = new GaussianActor(Reacher.SpecFor(10).ObservationDim, Reacher.SpecFor(10).ActionDim, 16, 4);
        using var evaluator = new Evaluator(EnvRegistry.Create("reacher", 4, 10));

        Assert.Null(evaluator.Run(actor, CPU, seed: 1).Trajectories);
    }
}

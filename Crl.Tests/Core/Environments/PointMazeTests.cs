using Crl.Core.Environments;
using Crl.Core.Environments.Mazes;
using Xunit;

namespace Crl.Tests.Core.Environments;

public class PointMazeTests
{
    static PointMaze UMaze(int n = 4, int episodeLength = 50, AutoResetMode mode = AutoResetMode.FirstState, string id = "point_u_maze") =>
        (PointMaze)EnvRegistry.Create(id, n, episodeLength, mode);

    static float[] Repeat(int n, float ax, float ay) => [.. Enumerable.Range(0, n).SelectMany(_ => new[] { ax, ay })];

    [Fact]
    public void Starts_at_the_R_cell_with_small_noise_and_goals_at_G_cell_centres()
    {
        var env = UMaze(n: 256);
        env.Reset(1);

        var obs = env.Observations.ToArray();
        var goalCentres = MazeLayouts.U.GoalCells.Select(c => PointMaze.CellCentre(c.Row, c.Column)).ToHashSet();
        var seen = new HashSet<(double, double)>();
        for (int i = 0; i < 256; i++)
        {
            var row = obs.AsSpan(i * 6, 6);
            Assert.InRange(row[0], 4 - 0.1, 4 + 0.1);
            Assert.InRange(row[1], 4 - 0.1, 4 + 0.1);
            var goal = ((double)row[4], (double)row[5]);
            Assert.Contains(goal, goalCentres);
            seen.Add(goal);
        }
        Assert.Equal(goalCentres.Count, seen.Count);
    }

    [Theory]
    [InlineData("point_u_maze_eval", 3)]
    [InlineData("point_u4_maze_eval", 4)]
    [InlineData("point_u5_maze_eval", 8)]
    [InlineData("point_big_maze_eval", 9)]
    [InlineData("point_big_maze", 25)]
    [InlineData("point_hardest_maze", 45)]
    [InlineData("point_u4_maze", 10)]
    [InlineData("point_u5_maze", 16)]
    public void Goal_sets_have_the_spec_sizes(string id, int goals)
    {
        var env = (PointMaze)EnvRegistry.Create(id, 2000, 10);
        env.Reset(2);
        var distinct = Enumerable.Range(0, 2000).Select(i => (env.Observations[i * 6 + 4], env.Observations[i * 6 + 5])).Distinct().Count();
        Assert.Equal(goals, distinct);
    }

    [Fact]
    public void Big_eval_goals_are_the_far_cells_of_the_spec()
    {
        var cells = MazeLayouts.BigEval.GoalCells.OrderBy(c => c).ToArray();
        Assert.Equal(new[] { (1, 5), (1, 6), (2, 6), (5, 3), (5, 6), (6, 2), (6, 3), (6, 5), (6, 6) }, cells.Select(c => (c.Row, c.Column)));
        Assert.Equal((2, 1), MazeLayouts.U4.Start);
        Assert.Equal((1, 1), MazeLayouts.Hardest.Start);
    }

    [Fact]
    public void Walls_block_movement_on_the_blocked_axis_only()
    {
        var env = UMaze(n: 1);
        env.Reset(3);
        // Cell (1,1) spans x in [2, 6]; the wall row 0 lies below x = 2. Start near it and push towards −x and +y.
        env.Place(0, 2.3, 4.0);
        for (int t = 0; t < 20; t++) env.Step(Repeat(1, -1f, 1f));

        var x = env.Observations[0]; var y = env.Observations[1];
        Assert.InRange(x, 2 + PointMaze.Radius - 1e-4, 2.3);
        Assert.True(y > 5.5, $"free axis should move, y = {y}");
        Assert.Equal(0f, env.Observations[2]); // vx cancelled by the wall
        Assert.Equal((float)PointMaze.MaxSpeed, env.Observations[3]);
    }

    [Fact]
    public void Cannot_pass_through_the_U_maze_inner_wall()
    {
        var env = UMaze(n: 1, episodeLength: 1000);
        env.Reset(4);
        // Row 2 is "###G#": from the start cell (1,1), moving +x would enter wall cell (2,1).
        for (int t = 0; t < 200; t++) env.Step(Repeat(1, 1f, 0f));
        Assert.True(env.Observations[0] < 6, $"x = {env.Observations[0]} went into the wall");
        Assert.False(env.Blocked(env.Observations[0], env.Observations[1]));
    }

    [Fact]
    public void Success_is_within_half_a_metre_of_the_goal()
    {
        var env = UMaze(n: 1, episodeLength: 1000);
        env.Reset(5);
        var gx = env.Observations[4]; var gy = env.Observations[5];

        env.Place(0, gx - 0.45, gy);
        env.Step(Repeat(1, 0, 0));
        Assert.Equal(1f, env.Success[0]);
        Assert.Equal(0.45f, env.Distance[0], 4);

        env.Place(0, gx - 0.55, gy);
        env.Step(Repeat(1, 0, 0));
        Assert.Equal(0f, env.Success[0]);
    }

    [Fact]
    public void First_state_auto_reset_replays_the_slot_start_and_goal_with_a_new_episode_id()
    {
        var env = UMaze(n: 3, episodeLength: 10);
        env.Reset(6);
        var first = env.Observations.ToArray();
        for (int t = 0; t < 9; t++)
        {
            env.Step(Repeat(3, 0.3f, 1f));
            Assert.All(env.Done.ToArray(), Assert.False);
        }
        Assert.All(env.EpisodeIds.ToArray(), id => Assert.Equal(0, id));

        env.Step(Repeat(3, 0.3f, 1f));

        Assert.All(env.Done.ToArray(), Assert.True);
        Assert.All(env.EpisodeIds.ToArray(), id => Assert.Equal(1, id));
        Assert.Equal(first, env.Observations.ToArray());
    }

    [Fact]
    public void Resample_auto_reset_draws_new_starts()
    {
        var env = UMaze(n: 64, episodeLength: 2, mode: AutoResetMode.Resample);
        env.Reset(7);
        var first = env.Observations.ToArray();
        env.Step(Repeat(64, 0, 0));
        env.Step(Repeat(64, 0, 0));
        Assert.All(env.Done.ToArray(), Assert.True);
        Assert.NotEqual(first, env.Observations.ToArray());
    }

    [Fact]
    public void Same_seed_gives_the_same_episodes()
    {
        var a = UMaze(n: 8); var b = UMaze(n: 8);
        a.Reset(9); b.Reset(9);
        Assert.Equal(a.Observations.ToArray(), b.Observations.ToArray());
    }

}

using Crl.Core.Environments;
using Crl.Core.Environments.Mazes;
using Crl.Core.Environments.MuJoCo;
using Crl.Core.Environments.MuJoCo.Tasks;
using Xunit;

namespace Crl.Tests.Core.Environments.MuJoCo;

public class AntTaskTests
{
    private static MujocoLibrary Library => MujocoLibrary.Shared.Library ?? throw new InvalidOperationException(MujocoLibrary.Shared.Reason);

    [Theory]
    [InlineData("ant_u4_maze", 2, 1)]
    [InlineData("ant_big_maze", 1, 1)]
    [InlineData("ant_hardest_maze", 1, 1)]
    public void Reset_puts_the_ant_on_its_start_cell_within_the_reset_noise(string id, int row, int column)
    {
        using var env = (MujocoVectorEnv)EnvRegistry.Create(id, 16, 1000);
        env.Reset(seed: 3);
        for (int i = 0; i < env.NumEnvs; i++)
        {
            var s = env.State(i);
            Assert.InRange(s[0], row * 4.0 - 0.1, row * 4.0 + 0.1);
            Assert.InRange(s[1], column * 4.0 - 0.1, column * 4.0 + 0.1);
            // init z 0.55 ± 0.1, raised where the noise would start a foot inside the floor.
            Assert.InRange(s[2], 0.45, 0.8);
            // The quaternion is renormalised after the noise.
            Assert.Equal(1.0, Math.Sqrt(s[3] * s[3] + s[4] * s[4] + s[5] * s[5] + s[6] * s[6]), 5);
        }
    }

    [Fact]
    public void Start_never_puts_a_foot_inside_the_floor_and_only_lifts_when_it_would()
    {
        using var env = (MujocoVectorEnv)EnvRegistry.Create("ant", 128, 1000);
        env.Reset(seed: 12);
        var feet = Enumerable.Range(1, 4).Select(n => env.Model.GeomId($"foot_{n}_geom")).ToArray();
        int touching = 0;
        for (int i = 0; i < env.NumEnvs; i++)
        {
            var lowest = feet.Min(f => env.SlotData(i).Get(MjArray.GeomXpos, 3 * f + 2)) - 0.08;
            Assert.True(lowest >= -1e-9, $"slot {i}: a foot starts {-lowest} m inside the floor");
            if (lowest < 1e-9) touching++;
        }
        // Lifted slots end with their lowest foot exactly on the floor; the others keep the noise's height.
        Assert.InRange(touching, 1, env.NumEnvs - 1);
    }

    [Theory]
    [InlineData("ant_u4_maze")]
    [InlineData("ant_u4_maze_eval")]
    [InlineData("ant_big_maze_eval")]
    [InlineData("ant_u5_maze_eval")]
    public void Goals_are_always_centres_of_the_goal_sets_cells(string id)
    {
        var goalSet = id switch
        {
            "ant_u4_maze" => MazeLayouts.U4,
            "ant_u4_maze_eval" => MazeLayouts.U4Eval,
            "ant_big_maze_eval" => MazeLayouts.BigEval,
            _ => MazeLayouts.U5Eval,
        };
        var allowed = goalSet.GoalCells.Select(c => (c.Row * 4f, c.Column * 4f)).ToHashSet();
        var seen = new HashSet<(float, float)>();
        using var env = (MujocoVectorEnv)EnvRegistry.Create(id, 64, 1000);
        for (ulong seed = 0; seed < 4; seed++)
        {
            env.Reset(seed);
            for (int i = 0; i < env.NumEnvs; i++)
            {
                var g = env.Goal(i);
                Assert.Contains((g[0], g[1]), allowed);
                seen.Add((g[0], g[1]));
            }
        }
        Assert.Equal(allowed.Count, seen.Count);
    }

    [Fact]
    public void Open_floor_goals_lie_on_the_10_m_circle()
    {
        using var env = (MujocoVectorEnv)EnvRegistry.Create("ant", 32, 1000);
        env.Reset(seed: 5);
        for (int i = 0; i < env.NumEnvs; i++)
            Assert.Equal(10.0, Math.Sqrt(env.Goal(i)[0] * env.Goal(i)[0] + env.Goal(i)[1] * env.Goal(i)[1]), 4);
    }

    [Theory]
    [InlineData(0.49, 1f)]
    [InlineData(0.51, 0f)]
    public void Success_flag_is_set_exactly_within_half_a_metre(double offset, float expected)
    {
        using var env = (MujocoVectorEnv)EnvRegistry.Create("ant_u4_maze", 1, 1000);
        env.Reset(seed: 2);
        var d = env.SlotData(0);
        var goal = env.Goal(0);
        // Offset diagonally so both coordinates matter.
        d.Set(MjArray.Qpos, 0, goal[0] + offset / Math.Sqrt(2));
        d.Set(MjArray.Qpos, 1, goal[1] + offset / Math.Sqrt(2));
        env.Refresh(0);
        Assert.Equal(offset, env.Distance[0], 4);
        Assert.Equal(expected, env.Success[0]);
    }

    [Fact]
    public void Stays_upright_for_200_steps_of_zero_action()
    {
        using var env = (MujocoVectorEnv)EnvRegistry.Create("ant", 4, 1000);
        env.Reset(seed: 11);
        var zero = new float[4 * AntTask.ActionDim];
        for (int t = 0; t < 200; t++)
        {
            env.Step(zero);
            for (int i = 0; i < env.NumEnvs; i++)
            {
                Assert.False(env.Done[i], $"slot {i} ended at step {t}");
                // Healthy range is [0.2, 1.0]; the noisy start velocities make it bob a little above its 0.55 rest height.
                Assert.InRange(env.State(i)[2], 0.3, 0.85);
                // Upright: the torso's z axis stays within ~25° of vertical (R[2,2] = 1 − 2(x² + y²) of its quaternion).
                var s = env.State(i);
                Assert.True(1 - 2 * (s[4] * s[4] + s[5] * s[5]) > 0.9, $"slot {i} tilted at step {t}");
            }
        }
    }

    [Fact]
    public void Torso_outside_the_healthy_height_ends_the_episode_and_rewinds_the_slot()
    {
        using var env = (MujocoVectorEnv)EnvRegistry.Create("ant", 2, 1000);
        env.Reset(seed: 4);
        var start = env.State(0).ToArray();
        env.SlotData(0).Set(MjArray.Qpos, 2, 1.5);
        env.Step(new float[2 * AntTask.ActionDim]);
        Assert.True(env.Done[0]);
        Assert.False(env.Done[1]);
        Assert.Equal(1, env.EpisodeIds[0]);
        Assert.Equal(start, env.State(0).ToArray());
    }

    [Fact]
    public void A_wall_stops_an_ant_pushed_into_it()
    {
        // U4 start cell (2, 1) is at (8, 4); the wall cell (3, 1) below it has its face at x = 10.
        using var env = new AntTask(Library, "ant_u4_maze", MazeLayouts.U4, MazeLayouts.U4, 1, 1000, workerThreads: 1);
        env.Reset(seed: 1);
        // 8 N along +x on the torso: enough to slide the ant the 2 m to the wall within a few seconds.
        env.SlotData(0).Set(MjArray.QfrcApplied, 0, 8);
        float farthest = 0;
        for (int t = 0; t < 150; t++)
        {
            env.Step(new float[AntTask.ActionDim]);
            Assert.False(env.Done[0]);
            farthest = Math.Max(farthest, env.State(0)[0]);
        }
        Assert.InRange(farthest, 9.6f, 10f - 0.25f + 0.02f);
        Assert.InRange(env.State(0)[0], 9.6f, 9.77f);
    }
}

using Crl.Core.Environments;
using Crl.Core.Environments.MuJoCo;
using Crl.Core.Environments.MuJoCo.Tasks;
using Xunit;

namespace Crl.Tests.Core.Environments.MuJoCo;

public class HumanoidTaskTests
{
    [Theory]
    [InlineData("humanoid", 0.0, 0.0)]
    [InlineData("humanoid_u_maze", 2.0, 2.0)]
    [InlineData("humanoid_big_maze_eval", 2.0, 2.0)]
    public void Reset_stands_the_humanoid_at_its_start_in_the_rest_pose(string id, double x, double y)
    {
        using var env = (MujocoVectorEnv)EnvRegistry.Create(id, 4, 1000);
        env.Reset(seed: 1);
        for (int i = 0; i < env.NumEnvs; i++)
        {
            var s = env.State(i);
            Assert.Equal([(float)x, (float)y, 1.4f, 1f, 0f, 0f, 0f], s[..7].ToArray());
            // Hinges at 0 and every velocity 0: no reset noise for the humanoid (§5.1).
            Assert.All(s[7..24].ToArray(), v => Assert.Equal(0f, v));
            Assert.All(s[26..51].ToArray(), v => Assert.Equal(0f, v));
            // The target's slide joints hold the goal.
            Assert.Equal(env.Goal(i)[0], s[24]);
            Assert.Equal(env.Goal(i)[1], s[25]);
        }
    }

    [Fact]
    public void Goals_are_1_to_5_m_away_at_torso_height()
    {
        using var env = (MujocoVectorEnv)EnvRegistry.Create("humanoid", 64, 1000);
        env.Reset(seed: 8);
        for (int i = 0; i < env.NumEnvs; i++)
        {
            var g = env.Goal(i);
            Assert.InRange(Math.Sqrt(g[0] * g[0] + g[1] * g[1]), 1.0 - 1e-5, 5.0 + 1e-5);
            Assert.Equal(1.25f, g[2]);
        }
    }

    [Fact]
    public void Maze_goals_come_from_the_eval_goal_set_with_its_extra_cell()
    {
        var allowed = MujocoTasks.HumanoidBigEval.GoalCells.Select(c => (c.Row * 2f, c.Column * 2f)).ToHashSet();
        Assert.Contains((4f, 10f), allowed);
        using var env = (MujocoVectorEnv)EnvRegistry.Create("humanoid_big_maze_eval", 64, 1000);
        env.Reset(seed: 9);
        for (int i = 0; i < env.NumEnvs; i++) Assert.Contains((env.Goal(i)[0], env.Goal(i)[1]), allowed);
    }

    [Theory]
    [InlineData(0.49, 1f)]
    [InlineData(0.51, 0f)]
    public void Success_is_measured_in_3d_on_the_torso(double offset, float expected)
    {
        using var env = (MujocoVectorEnv)EnvRegistry.Create("humanoid", 1, 1000);
        env.Reset(seed: 2);
        var goal = env.Goal(0);
        var d = env.SlotData(0);
        d.Set(MjArray.Qpos, 0, goal[0]);
        d.Set(MjArray.Qpos, 1, goal[1]);
        d.Set(MjArray.Qpos, 2, goal[2] + offset);
        env.Refresh(0);
        Assert.Equal(offset, env.Distance[0], 4);
        Assert.Equal(expected, env.Success[0]);
    }

    [Fact]
    public void Falling_below_one_metre_ends_the_episode()
    {
        using var env = (MujocoVectorEnv)EnvRegistry.Create("humanoid", 1, 1000);
        env.Reset(seed: 3);
        var zero = new float[HumanoidTask.ActionDim];
        int steps = 0;
        // Without control the humanoid collapses (§3: ~32 env steps under random actions).
        while (!env.Done[0] && steps < 300) { env.Step(zero); steps++; }
        Assert.True(env.Done[0]);
        Assert.InRange(steps, 10, 299);
        Assert.Equal(1, env.EpisodeIds[0]);
        Assert.Equal(1.4f, env.State(0)[2]);
    }

    [Fact]
    public void State_holds_the_bodies_mass_and_the_actuator_forces()
    {
        using var env = (MujocoVectorEnv)EnvRegistry.Create("humanoid", 1, 1000);
        env.Reset(seed: 2);
        var action = new float[HumanoidTask.ActionDim];
        action[5] = 1; // right_hip_y, gear 300
        env.Step(action);
        var s = env.State(0);
        // cinert's 10th entry per body is its mass: the 12 links sum to the model's 43.1 kg + 1 kg target (§5.1).
        double mass = 0;
        for (int b = 0; b < HumanoidTask.Links; b++) mass += s[51 + 10 * b + 9];
        Assert.InRange(mass, 43.0, 45.2);
        // qfrc_actuator: 0.4 control × gear 300 on right_hip_y (dof 6 + 5).
        Assert.Equal(120f, s[243 + 11], 3);
    }
}

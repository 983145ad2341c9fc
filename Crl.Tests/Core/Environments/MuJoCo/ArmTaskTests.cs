using Crl.Core.Environments;
using Crl.Core.Environments.MuJoCo;
using Crl.Core.Environments.MuJoCo.Models;
using Crl.Core.Environments.MuJoCo.Tasks;
using Xunit;

namespace Crl.Tests.Core.Environments.MuJoCo;

public class ArmTaskTests
{
    [Theory]
    [InlineData("arm_push_easy", ArmScene.PushEasy)]
    [InlineData("arm_push_hard", ArmScene.PushHard)]
    [InlineData("arm_binpick_hard", ArmScene.BinpickHard)]
    public void Reset_gives_the_fixed_arm_pose_a_jittered_cube_and_a_goal_in_the_target_box(string id, ArmScene scene)
    {
        using var env = (MujocoVectorEnv)EnvRegistry.Create(id, 32, 1000);
        env.Reset(seed: 6);
        var (cx, cy) = PandaMjcf.CubeStart(scene);
        var noise = ArmTask.CubeNoise(scene);
        var (centre, half) = ArmTask.GoalBox(scene);
        for (int i = 0; i < env.NumEnvs; i++)
        {
            var s = env.State(i);
            Assert.InRange(s[0], cx - noise, cx + noise);
            Assert.InRange(s[1], cy - noise, cy + noise);
            Assert.Equal(0.07f, s[2], 5);
            Assert.Equal(ArmTask.InitialArm[..7].Select(v => (float)v), s[3..10].ToArray());
            // Both fingers open 0.04 m: their origins are 0.08 m apart.
            Assert.Equal(0.08f, s[16], 4);
            var g = env.Goal(i);
            Assert.InRange(g[0], centre.X - half, centre.X + half);
            Assert.InRange(g[1], centre.Y - half, centre.Y + half);
            Assert.Equal(0.03f, g[2]);
        }
    }

    [Theory]
    [InlineData(0.099, 1f)]
    [InlineData(0.101, 0f)]
    public void Success_is_the_cube_within_10_cm_of_the_goal(double offset, float expected)
    {
        using var env = (MujocoVectorEnv)EnvRegistry.Create("arm_push_hard", 1, 1000);
        env.Reset(seed: 1);
        var g = env.Goal(0);
        var d = env.SlotData(0);
        d.Set(MjArray.Qpos, ArmTask.CubeQpos, g[0]);
        d.Set(MjArray.Qpos, ArmTask.CubeQpos + 1, g[1] + offset);
        d.Set(MjArray.Qpos, ArmTask.CubeQpos + 2, g[2]);
        env.Refresh(0);
        Assert.Equal(offset, env.Distance[0], 4);
        Assert.Equal(expected, env.Success[0]);
    }

    [Fact]
    public void Servos_hold_the_commanded_pose_the_cube_settles_and_the_gripper_closes()
    {
        using var env = (MujocoVectorEnv)EnvRegistry.Create("arm_push_easy", 1, 1000);
        env.Reset(seed: 1);
        var open = new float[] { 0, 0, 0, 0, -1 };
        for (int t = 0; t < 40; t++) env.Step(open);
        var s = env.State(0).ToArray();
        // Cube rests on the table (half-size 0.03); joint1 and joint2 servos (gain = kp) reach their targets, joint2
        // within the sag that gravity's ~45 N·m costs against kp 4500.
        Assert.Equal(0.03f, s[2], 3);
        Assert.Equal((0.3491 + 2.7925) / 2, s[3], 2);
        Assert.InRange(s[4], 1.48353 / 2, 1.48353 / 2 + 0.02);
        // Joint 7's actuator has gain 1000 against kp 2000 (§2): it settles at half its 1.4487 target.
        Assert.Equal(0.724, s[9], 2);
        Assert.Equal(0.16f, s[16], 2);
        // At rest the link7 velocity is zero.
        Assert.All(s[13..16], v => Assert.Equal(0f, v, 3));
        var close = new float[] { 0, 0, 0, 0, 1 };
        for (int t = 0; t < 20; t++) env.Step(close);
        Assert.InRange(env.State(0)[16], 0f, 0.01f);
    }

    [Fact]
    public void The_goal_marker_stays_pinned_on_the_goal()
    {
        using var env = (MujocoVectorEnv)EnvRegistry.Create("arm_binpick_hard", 1, 1000);
        env.Reset(seed: 2);
        for (int t = 0; t < 20; t++) env.Step(new float[ArmTask.ActionDim]);
        // Pinned before each step, it only sags during one 0.05 s step: (g/2)·t² ≈ 1.2 cm.
        var z = env.SlotData(0).Get(MjArray.Qpos, ArmTask.GoalMarkerQpos + 2);
        Assert.InRange(z, env.Goal(0)[2] - 0.015, env.Goal(0)[2]);
        Assert.Equal(env.Goal(0)[0], env.SlotData(0).Get(MjArray.Qpos, ArmTask.GoalMarkerQpos), 4);
    }
}

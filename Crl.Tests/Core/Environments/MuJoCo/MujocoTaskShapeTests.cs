using Crl.Core.Environments;
using Crl.Core.Environments.MuJoCo;
using Xunit;

namespace Crl.Tests.Core.Environments.MuJoCo;

/// <summary>Every task id of the paper, with the dims of environments.md §1.</summary>
public class MujocoTaskShapeTests
{
    public static TheoryData<string, int, int, int, double> Tasks => new()
    {
        { "ant", 29, 2, 8, 0.5 },
        { "ant_big_maze", 29, 2, 8, 0.5 }, { "ant_big_maze_eval", 29, 2, 8, 0.5 },
        { "ant_u4_maze", 29, 2, 8, 0.5 }, { "ant_u4_maze_eval", 29, 2, 8, 0.5 },
        { "ant_u5_maze", 29, 2, 8, 0.5 }, { "ant_u5_maze_eval", 29, 2, 8, 0.5 },
        { "ant_hardest_maze", 29, 2, 8, 0.5 },
        { "humanoid", 268, 3, 17, 0.5 },
        { "humanoid_u_maze", 268, 3, 17, 0.5 }, { "humanoid_u_maze_eval", 268, 3, 17, 0.5 },
        { "humanoid_big_maze", 268, 3, 17, 0.5 }, { "humanoid_big_maze_eval", 268, 3, 17, 0.5 },
        { "arm_push_easy", 17, 3, 5, 0.1 }, { "arm_push_hard", 17, 3, 5, 0.1 }, { "arm_binpick_hard", 17, 3, 5, 0.1 },
    };

    [Theory]
    [MemberData(nameof(Tasks))]
    public void Registered_with_the_papers_dims_and_steps_with_finite_observations(string id, int stateDim, int goalDim, int actionDim, double radius)
    {
        var entry = EnvRegistry.Get(id);
        Assert.True(entry.Available, entry.Reason);
        Assert.Equal((stateDim, goalDim, actionDim, 0, 1000, radius),
            (entry.Spec.StateDim, entry.Spec.GoalDim, entry.Spec.ActionDim, entry.Spec.GoalStart, entry.Spec.EpisodeLength, entry.Spec.SuccessRadius));

        using var env = (MujocoVectorEnv)entry.Create(numEnvs: 3, episodeLength: 1000);
        env.Reset(seed: 1);
        var actions = new float[3 * actionDim];
        for (int t = 0; t < 5; t++) env.Step(actions);
        Assert.Equal(3 * (stateDim + goalDim), env.Observations.Length);
        foreach (var v in env.Observations) Assert.True(float.IsFinite(v));
        // Goal coordinates of the state are what the success radius is measured on.
        for (int i = 0; i < 3; i++)
        {
            var state = env.State(i);
            var goal = env.Goal(i);
            double d2 = 0;
            for (int k = 0; k < goalDim; k++) d2 += (state[k] - goal[k]) * (state[k] - goal[k]);
            Assert.Equal(Math.Sqrt(d2), env.Distance[i], 4);
        }
    }

    [Fact]
    public void Models_have_the_fused_body_and_joint_counts()
    {
        using var humanoid = (MujocoVectorEnv)EnvRegistry.Create("humanoid", 1, 1000);
        Assert.Equal((26, 25, 17, 13), (humanoid.Model.Nq, humanoid.Model.Nv, humanoid.Model.Nu, humanoid.Model.Nbody));
        Assert.Equal(0.015, humanoid.ControlStep, 12);
        using var ant = (MujocoVectorEnv)EnvRegistry.Create("ant_u4_maze", 1, 1000);
        Assert.Equal((17, 16, 8), (ant.Model.Nq, ant.Model.Nv, ant.Model.Nu));
        Assert.Equal(0.05, ant.ControlStep, 12);
        using var arm = (MujocoVectorEnv)EnvRegistry.Create("arm_binpick_hard", 1, 1000);
        Assert.Equal((23, 21, 9, 12), (arm.Model.Nq, arm.Model.Nv, arm.Model.Nu, arm.Model.Nbody));
        Assert.Equal(0.05, arm.ControlStep, 12);
    }
}

using Crl.Core.Environments;
using Crl.Core.Environments.Mazes;
using Crl.Core.Environments.MuJoCo;
using Crl.Core.Environments.MuJoCo.Models;
using Crl.Core.Environments.MuJoCo.Tasks;
using Crl.Core.Sampling;
using Xunit;

namespace Crl.Tests.Core.Environments.MuJoCo;

public class BatchSteppingTests
{
    private static MujocoLibrary Library => MujocoLibrary.Shared.Library ?? throw new InvalidOperationException(MujocoLibrary.Shared.Reason);

    private static float[] Rollout(MujocoVectorEnv env, int steps, AutoResetMode mode = AutoResetMode.FirstState)
    {
        env.Reset(seed: 42);
        var random = new Xoshiro256(7);
        var actions = new float[env.NumEnvs * env.Spec.ActionDim];
        var trace = new List<float>();
        for (int t = 0; t < steps; t++)
        {
            for (int k = 0; k < actions.Length; k++) actions[k] = (float)random.NextDouble(-1, 1);
            env.Step(actions);
            trace.AddRange(env.Observations.ToArray());
            foreach (var done in env.Done) trace.Add(done ? 1 : 0);
        }
        return [.. trace];
    }

    [Fact]
    public void Same_seed_gives_the_same_ant_trajectory_whatever_the_number_of_worker_threads()
    {
        float[] Run(int threads)
        {
            using var env = new AntTask(Library, "ant_u4_maze", MazeLayouts.U4, MazeLayouts.U4, 12, 1000, AutoResetMode.Resample, threads);
            Assert.Equal(threads, env.WorkerThreads);
            return Rollout(env, 60);
        }
        var one = Run(1);
        Assert.Equal(one, Run(2));
        Assert.Equal(one, Run(3));
    }

    [Fact]
    public void Same_seed_gives_the_same_humanoid_and_arm_trajectories_on_one_or_two_threads()
    {
        float[] Humanoid(int threads)
        {
            using var env = new HumanoidTask(Library, "humanoid", null, null, 6, 1000, AutoResetMode.FirstState, threads);
            return Rollout(env, 40);
        }
        float[] Arm(int threads)
        {
            using var env = new ArmTask(Library, "arm_binpick_hard", ArmScene.BinpickHard, 4, 1000, AutoResetMode.FirstState, threads);
            return Rollout(env, 10);
        }
        Assert.Equal(Humanoid(1), Humanoid(2));
        Assert.Equal(Arm(1), Arm(2));
    }

    [Fact]
    public void Steps_run_on_the_requested_number_of_threads_and_a_different_seed_differs()
    {
        using var env = new AntTask(Library, "ant", null, null, 8, 1000, AutoResetMode.FirstState, workerThreads: 2);
        var a = Rollout(env, 5);
        env.Reset(seed: 43);
        Assert.NotEqual(a[..(8 * 31)], env.Observations.ToArray());
    }

    [Theory]
    [InlineData("ant_u4_maze", AutoResetMode.FirstState)]
    [InlineData("ant_u4_maze", AutoResetMode.Resample)]
    [InlineData("humanoid", AutoResetMode.Resample)]
    [InlineData("arm_binpick_hard", AutoResetMode.Resample)]
    public void A_step_allocates_nothing_on_the_managed_heap_even_when_slots_reset(string id, AutoResetMode mode)
    {
        // One worker: every byte a step allocates is allocated on this thread. Episodes of 5 steps make resets happen.
        using var env = MujocoTasks.Create(Library, id, 16, 5, mode, workerThreads: 1);
        env.Reset(seed: 1);
        var actions = new float[16 * env.Spec.ActionDim];
        for (int k = 0; k < actions.Length; k++) actions[k] = k % 3 == 0 ? 0.2f : -0.1f;
        for (int t = 0; t < 3; t++) env.Step(actions);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 20; t++) env.Step(actions);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

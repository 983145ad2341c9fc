using Crl.Core.Environments;
using Crl.Core.Environments.MuJoCo;
using Xunit;

namespace Crl.Tests.Core.Environments.MuJoCo;

/// <summary>A machine without libmujoco2.2.2: the MuJoCo tasks say why they cannot run, and nothing else breaks.</summary>
public class MissingLibraryTests
{
    private static readonly MujocoAvailability Missing = MujocoLibrary.Load("libmujoco-missing-for-test.so.2.2.2");

    [Fact]
    public void Every_mujoco_task_is_listed_unavailable_with_the_install_command()
    {
        var entries = EnvRegistry.Build(Missing);
        var mujoco = entries.Where(e => e.Spec.Id.StartsWith("ant") || e.Spec.Id.StartsWith("humanoid") || e.Spec.Id.StartsWith("arm_")).ToList();
        Assert.Equal(16, mujoco.Count);
        Assert.All(mujoco, e =>
        {
            Assert.False(e.Available);
            Assert.Contains("sudo apt-get install libmujoco2.2.2", e.Reason);
        });
        var error = Assert.Throws<InvalidOperationException>(() => mujoco[0].Create(2, 1000));
        Assert.Contains("libmujoco-missing-for-test.so.2.2.2", error.Message);
    }

    [Fact]
    public void The_other_tasks_still_build_and_step()
    {
        var entries = EnvRegistry.Build(Missing);
        var others = entries.Where(e => e.Spec.Id.StartsWith("point_") || e.Spec.Id == "reacher").ToList();
        Assert.NotEmpty(others);
        foreach (var entry in others)
        {
            Assert.True(entry.Available);
            var env = entry.Create(2, 1000);
            env.Reset(seed: 1);
            env.Step(new float[2 * env.Spec.ActionDim]);
            Assert.Equal(2 * env.Spec.ObservationDim, env.Observations.Length);
        }
    }
}

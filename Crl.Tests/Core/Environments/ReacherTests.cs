using Crl.Core.Environments;
using Xunit;

namespace Crl.Tests.Core.Environments;

public class ReacherTests
{
    [Fact]
    public void Targets_lie_in_the_reachable_disc_and_the_goal_slice_is_the_fingertip()
    {
        var env = EnvRegistry.Create("reacher", 500, 50);
        env.Reset(1);
        var o = env.Spec.ObservationDim;
        Assert.Equal((10, 3, 2, 4), (env.Spec.StateDim, env.Spec.GoalDim, env.Spec.ActionDim, env.Spec.GoalStart));
        for (int i = 0; i < 500; i++)
        {
            var row = env.Observations.Slice(i * o, o);
            Assert.True(Math.Sqrt(row[10] * row[10] + row[11] * row[11]) <= Reacher.TargetRadius + 1e-6);
            // Near q = 0 the fingertip is at about (0.21, 0).
            Assert.InRange(row[4], 0.2, 0.211);
            Assert.Equal(Reacher.Height, row[6], 5);
            Assert.InRange(row[0] * row[0] + row[2] * row[2], 0.9999, 1.0001);
        }
    }

    [Fact]
    public void Torque_moves_the_arm_and_the_fingertip_stays_on_its_workspace()
    {
        var env = EnvRegistry.Create("reacher", 1, 1000);
        env.Reset(2);
        var x0 = env.Observations[4]; var y0 = env.Observations[5];
        for (int t = 0; t < 5; t++) env.Step([1f, 0f]);
        var x = env.Observations[4]; var y = env.Observations[5];
        Assert.True(y > y0 + 0.005, $"shoulder torque should swing the tip counter-clockwise (y {y0} → {y})");
        var reach = Math.Sqrt(x * x + y * y);
        Assert.InRange(reach, 0.0, 0.21 + 1e-4);
        // Still in the first quadrant, so the counter-clockwise tip velocity points to −x and +y.
        Assert.True(env.Observations[7] < 0 && env.Observations[8] > 0, "tip velocity follows the swing");
        Assert.Equal(env.Distance[0] < Reacher.SuccessRadius ? 1f : 0f, env.Success[0]);
    }
}

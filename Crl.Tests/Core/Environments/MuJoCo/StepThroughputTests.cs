using Crl.Core.Environments.MuJoCo;
using Xunit;

namespace Crl.Tests.Core.Environments.MuJoCo;

public class StepThroughputTests
{
    [Fact]
    public void Measures_the_wrapper_and_the_bare_loop_on_the_same_task()
    {
        var library = MujocoLibrary.Shared.Library ?? throw new InvalidOperationException(MujocoLibrary.Shared.Reason);
        var r = StepThroughput.Measure(library, "ant", envs: 8, TimeSpan.FromMilliseconds(150), repeats: 1);
        Assert.Equal(("ant", 8, Environment.ProcessorCount), (r.Task, r.Envs, r.Cores));
        Assert.True(r.RawOneCore.Wall > 0 && r.RawOneCore.Cpu > 0);
        Assert.True(r.WrapperOneCore.Wall > 0 && r.WrapperOneCore.Cpu > 0);
        Assert.Equal(100 * (r.RawOneCore.Cpu / r.WrapperOneCore.Cpu - 1), r.OverheadPercent, 9);
        if (Environment.ProcessorCount >= 2)
        {
            Assert.Equal(r.WrapperTwoCores!.Value.Wall / r.WrapperOneCore.Wall, r.TwoCoreSpeedup!.Value, 9);
            Assert.True(r.RawTwoCores!.Value.Wall > 0);
            Assert.Equal(r.TwoCoreSpeedup!.Value / r.RawTwoCoreSpeedup!.Value, r.SpeedupOfRawSpeedup!.Value, 9);
        }
    }
}

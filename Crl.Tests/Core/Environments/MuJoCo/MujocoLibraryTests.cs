using Crl.Core.Environments.MuJoCo;
using Xunit;

namespace Crl.Tests.Core.Environments.MuJoCo;

public class MujocoLibraryTests
{
    [Fact]
    public void Installed_library_is_version_222_and_passes_the_layout_probe()
    {
        var availability = MujocoLibrary.Shared;
        Assert.True(availability.Available, availability.Reason);
        Assert.Equal(222, availability.Library!.Version);
    }

    [Fact]
    public void Missing_library_gives_a_reason_naming_the_install_command()
    {
        var availability = MujocoLibrary.Load("libmujoco-not-installed.so.9.9.9");
        Assert.False(availability.Available);
        Assert.Contains("apt-get install libmujoco2.2.2", availability.Reason);
        Assert.Contains("scripts/setup.sh", availability.Reason);
    }

    [Fact]
    public void A_library_that_is_not_MuJoCo_is_reported_not_loaded()
    {
        // libm exists everywhere and lacks every mj_ symbol.
        var availability = MujocoLibrary.Load("libm.so.6");
        Assert.False(availability.Available);
        Assert.Contains("mj_version", availability.Reason);
    }
}

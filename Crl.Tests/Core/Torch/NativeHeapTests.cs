using Crl.Core.Torch;
using Xunit;
using static TorchSharp.torch;

namespace Crl.Tests.Core.Torch;

// Runs alone (another test freeing a large block at the same time would lower resident memory), with the trainer tests.
[Collection(Crl.Tests.Core.Training.TrainerCollection.Name)]
public class NativeHeapTests
{
    [Fact]
    public void With_the_training_settings_a_freed_tensor_stays_resident_for_the_next_update()
    {
        Assert.True(OperatingSystem.IsLinux(), "the test machines and the workers run Linux with glibc");
        Assert.True(NativeHeap.KeepFreedMemory(), "glibc refused one of the mallopt settings");

        // 16 MiB: with glibc's defaults a block this size is mapped for it alone and unmapped when freed.
        const long Floats = 4 << 20;
        long during;
        using (var activation = ones(Floats)) during = ResidentBytes();
        var after = ResidentBytes();
        Assert.True(after > during - 8 * 1048576, $"resident memory fell from {during >> 20} to {after >> 20} MiB when the tensor was freed");

        // Trim hands it back, which is what the benchmark does before measuring one update's peak.
        NativeHeap.Trim();
        Assert.True(ResidentBytes() < after - 8 * 1048576, "malloc_trim returned nothing");
    }

    // .NET reads it from /proc/self/status (VmRSS) on Linux.
    static long ResidentBytes() => Environment.WorkingSet;
}

using Crl.Benchmarks.Trainer;
using Crl.Tests.Support;
using Xunit;

namespace Crl.Tests.Benchmarks;

/// <summary>
/// The measured peak memory of one update against <see cref="Crl.Core.Training.UpdateMemory"/>'s prediction, with and
/// without checkpointing. In the trainer collection: the high-water mark is the whole process's, so nothing may run beside it.
/// </summary>
[Collection(Crl.Tests.Core.Training.TrainerCollection.Name)]
[Trait(Lanes.Trait, Lanes.Slow)]
public class CheckpointingBenchmarkTests
{
    [Fact]
    public void Checkpointing_cuts_the_measured_peak_of_an_update_as_predicted_and_keeps_its_losses()
    {
        if (!OperatingSystem.IsLinux()) return; // the high-water mark is Linux's
        var rows = CheckpointingBenchmark.Run([64], width: 256, batch: 256, updates: 1, [false, true], "cpu", null, CancellationToken.None);
        var (plain, checkpointed) = (rows[0], rows[1]);

        Assert.Equal((plain.FirstCriticLoss, plain.FirstActorLoss), (checkpointed.FirstCriticLoss, checkpointed.FirstActorLoss));
        // Allocator slack makes the measured figure larger than the count of live tensors; within 4× either way is the model's promise (README: measured 1.5× and 2–3× the prediction).
        foreach (var row in rows)
            Assert.True(row.PeakUpdateBytes > row.PredictedTransientBytes / 4 && row.PeakUpdateBytes < row.PredictedTransientBytes * 4,
                $"checkpointing {row.Checkpointing}: measured {row.PeakUpdateBytes}, predicted {row.PredictedTransientBytes}");
        Assert.True(plain.PeakUpdateBytes > 1.8 * checkpointed.PeakUpdateBytes, $"{plain.PeakUpdateBytes} vs {checkpointed.PeakUpdateBytes}");
    }
}

using Crl.Benchmarks.Trainer;
using Crl.Tests.Support;
using Xunit;

namespace Crl.Tests.Benchmarks;

/// <summary>The <c>trainer</c> benchmark's rows, run small. In the trainer collection: it sets libtorch's thread count.</summary>
[Collection(Crl.Tests.Core.Training.TrainerCollection.Name)]
[Trait(Lanes.Trait, Lanes.Slow)]
public class TrainerBenchmarkTests
{
    [Fact]
    public void Each_row_has_the_update_and_the_lone_trunk_against_the_same_matmul_rate_and_judges_the_goal_by_both()
    {
        var result = TrainerBenchmark.Run(new TrainerBenchmarkConfig([4, 64], [new UpdateShape(64, 64)], [1],
            Updates: 2, RoundSeconds: 0.02, EnvSeconds: 0.05, MemoryUpdatesLate: 0, Device: "cpu", MatmulSizes: [256]));

        Assert.Equal([4, 64], result.Updates.Select(u => u.Depth));
        var matmul = result.Matmul.Max(m => m.GflopsPerSecond);
        foreach (var row in result.Updates)
        {
            Assert.Equal(matmul, row.MatmulRateGflops);
            Assert.Equal(row.GflopsPerSecond / matmul, row.FractionOfMatmulRate, 9);
            // A lone trunk is a third of the update's layers, so its share is a rate, not a sum: between 0 and the matmul's.
            Assert.InRange(row.TrunkFractionOfMatmulRate, 0.001, 1.5);
        }
        var (shallow, deep) = (result.Updates[0], result.Updates[1]);
        Assert.Null(shallow.Goal);
        Assert.Null(shallow.GoalAboveCeiling);
        Assert.Equal(0.25, deep.Goal);
        Assert.Equal(deep.TrunkFractionOfMatmulRate < 0.25, deep.GoalAboveCeiling);
        Assert.Equal(deep.FractionOfMatmulRate >= 0.25, deep.MeetsGoal);
    }
}

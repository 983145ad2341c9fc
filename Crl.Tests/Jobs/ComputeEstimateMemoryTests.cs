using Crl.Core.Training;
using Crl.Jobs.Sweeps;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>The launch preview's peak memory per update, and its warning when a run will not fit the workers' devices.</summary>
public class ComputeEstimateMemoryTests
{
    private static SweepPlan Plan(bool checkpointing, params int[] depths) => SweepPlanner.Plan(new SweepRequest
    {
        Name = "memory", Envs = ["point_u_maze"], Depths = [.. depths], Widths = [256], BatchSizes = [256], Seeds = [1],
        Settings = QuickSweep.Settings(new { totalEnvSteps = 2_000_000, activationCheckpointing = checkpointing }),
    });

    [Fact]
    public void The_estimate_spans_its_runs_peak_memory_and_warns_only_about_runs_no_live_device_holds()
    {
        var plan = Plan(false, 4, 256, 1024);
        var peaks = plan.Runs.Select(r => UpdateMemory.Of(r.Config).PeakBytes).ToList();
        // 16 bytes of state per parameter: depth 1024 at width 256 has ≈ 200M parameters, so well over 3 GiB.
        Assert.True(peaks[2] > 3.0 * (1L << 30) && peaks[0] < 0.1 * (1L << 30));

        var gpu = new WorkerDevice("gpu-3", "cuda", 2L << 30);
        var estimate = ComputeEstimate.Of(plan, null, slots: 1, [gpu, new WorkerDevice("small", "cpu", 1L << 30)]);
        Assert.Equal(peaks.Min(), estimate.SmallestPeakMemoryBytes);
        Assert.Equal(peaks.Max(), estimate.LargestPeakMemoryBytes);
        var warning = Assert.IsType<MemoryWarning>(estimate.MemoryWarning);
        // Depth 1024 needs more than 2 GiB even with checkpointing (its parameters and Adam state alone do); depth 256 fits with it.
        Assert.Equal(peaks.Count(p => p > gpu.MemoryBytes), warning.Runs);
        Assert.Equal(gpu, warning.Largest);
        Assert.Contains("gpu-3", warning.Message);
        Assert.Contains("GiB", warning.Message);

        Assert.Null(ComputeEstimate.Of(plan, null, 1).MemoryWarning); // no worker reports a device
        Assert.Null(ComputeEstimate.Of(plan, null, 1, [new WorkerDevice("big", "cuda", 80L << 30)]).MemoryWarning);
    }

    [Fact]
    public void Checkpointing_shrinks_the_predicted_activations_of_deep_networks_at_least_threefold()
    {
        foreach (var depth in new[] { 256, 1024 })
        {
            var config = new CrlConfig { Env = "point_u_maze", ActorDepth = depth, CriticDepth = depth };
            var plain = UpdateMemory.Of(config);
            var checkpointed = UpdateMemory.Of(config with { ActivationCheckpointing = true });
            Assert.Equal(plain.StateBytes, checkpointed.StateBytes);
            Assert.True(plain.ActivationBytes > 3 * checkpointed.ActivationBytes, $"depth {depth}");
        }
        // A run that fits only with checkpointing is named as such.
        var plan = Plan(false, 256);
        var plainPeak = UpdateMemory.Of(plan.Runs[0].Config).PeakBytes;
        var withCheckpointing = UpdateMemory.Of(plan.Runs[0].Config with { ActivationCheckpointing = true }).PeakBytes;
        var device = new WorkerDevice("w", "cuda", (long)((plainPeak + withCheckpointing) / 2));
        var warning = ComputeEstimate.Of(plan, null, 1, [device]).MemoryWarning!;
        Assert.Equal((1, 1), (warning.Runs, warning.FitWithCheckpointing));
        Assert.Contains("activation checkpointing", warning.Message);
        Assert.Null(ComputeEstimate.Of(Plan(true, 256), null, 1, [device]).MemoryWarning);
    }
}

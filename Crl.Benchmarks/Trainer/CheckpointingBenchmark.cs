using System.Globalization;
using Crl.Core.Algorithms;
using Crl.Core.Environments;
using Crl.Core.Torch;
using Crl.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Benchmarks.Trainer;

/// <summary>One depth with activation checkpointing off or on: time per update and the memory one update adds at its peak.</summary>
/// <param name="PeakUpdateBytes">Peak resident memory during one update above the resident memory before it (Linux only; null elsewhere and on CUDA).</param>
/// <param name="PredictedActivationBytes">The activations <see cref="Crl.Core.Training.UpdateMemory"/> predicts at the actor phase's backward.</param>
/// <param name="PredictedTransientBytes">What it predicts for <paramref name="PeakUpdateBytes"/>.</param>
/// <param name="FirstCriticLoss">The first timed update's critic loss: equal with and without checkpointing, since the weights and minibatch are.</param>
public sealed record CheckpointingTiming(int Depth, int Width, int BatchSize, bool Checkpointing, double MillisecondsPerUpdate,
    long? PeakUpdateBytes, double PredictedActivationBytes, double PredictedTransientBytes, float FirstCriticLoss, float FirstActorLoss);

/// <summary>
/// <c>trainer --checkpointing off|on|both</c>: what activation checkpointing saves and costs. Both settings run on the
/// same agent (same weights) and the same minibatch, so their first losses must agree.
/// </summary>
public static class CheckpointingBenchmark
{
    public static IReadOnlyList<CheckpointingTiming> Run(IReadOnlyList<int> depths, int width, int batch, int updates, bool[] settings,
        string deviceName, Action<string>? progress, CancellationToken cancellation)
    {
        var device = TorchDevice.Resolve(deviceName);
        var env = EnvRegistry.Get("point_big_maze").Spec;
        var results = new List<CheckpointingTiming>();
        foreach (var depth in depths)
        {
            var spec = CrlTrainer.AgentSpec(new CrlConfig { ActorWidth = width, ActorDepth = depth, CriticWidth = width, CriticDepth = depth }, env);
            foreach (var on in settings)
            {
                cancellation.ThrowIfCancellationRequested();
                // The same weights, minibatch and policy noise for every setting, so the first update's losses must agree.
                random.manual_seed(1);
                using var agent = new CrlAgent(spec with { ActivationCheckpointing = on }, device);
                using var observation = randn(batch, spec.ObservationDim, device: device);
                using var action = rand(batch, spec.ActionDim, device: device) * 2 - 1;
                float critic, actor;
                using (NewDisposeScope())
                {
                    var first = agent.Update(observation, action);
                    (critic, actor) = (first.CriticLoss.item<float>(), first.ActorLoss.item<float>());
                }
                void Once()
                {
                    using (NewDisposeScope()) agent.Update(observation, action);
                }
                // The second update: the first one's one-off allocations (libtorch's lazily built kernels) stay out.
                var peak = PeakMemory.PeakAbove(Once, device);
                var best = Rounds.Time(Once, device, perRound: 1, rounds: updates, cancellation: cancellation).Seconds;
                var predicted = Crl.Core.Training.UpdateMemory.Of(spec with { ActivationCheckpointing = on }, batch, device.type == DeviceType.CUDA);
                var row = new CheckpointingTiming(depth, width, batch, on, best * 1e3, peak, predicted.ActivationBytes, predicted.TransientBytes, critic, actor);
                results.Add(row);
                progress?.Invoke(Describe(row));
            }
        }
        return results;
    }

    public static string Describe(CheckpointingTiming t) => string.Create(CultureInfo.InvariantCulture,
        $"depth {t.Depth,4}  width {t.Width}  batch {t.BatchSize}  checkpointing {(t.Checkpointing ? "on " : "off")}: {t.MillisecondsPerUpdate,9:F1} ms/update  " +
        $"peak update memory {PeakMemory.Mib(t.PeakUpdateBytes, 11)} (predicted {PeakMemory.Mib(t.PredictedTransientBytes)}, activations {PeakMemory.Mib(t.PredictedActivationBytes)})  first losses critic {t.FirstCriticLoss:R} actor {t.FirstActorLoss:R}");
}

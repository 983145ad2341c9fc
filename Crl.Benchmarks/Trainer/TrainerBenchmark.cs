using System.Diagnostics;
using Crl.Core.Algorithms;
using Crl.Core.Environments;
using Crl.Core.Networks;
using Crl.Core.Sampling;
using Crl.Core.Torch;
using Crl.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Benchmarks.Trainer;

/// <summary>Width and minibatch size of one set of timed networks.</summary>
public sealed record UpdateShape(int Width, int BatchSize)
{
    public override string ToString() => $"{Width}x{BatchSize}";

    /// <summary>"256x256" → width 256, batch 256.</summary>
    public static bool TryParse(string text, out UpdateShape shape)
    {
        shape = new UpdateShape(0, 0);
        var parts = text.Split('x', 'X', ':');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var width) || !int.TryParse(parts[1], out var batch)) return false;
        shape = new UpdateShape(width, batch);
        return true;
    }
}

/// <summary>Timing and memory of one CRL update at one depth, shape and thread count.</summary>
/// <param name="Updates">Updates per timed round; <paramref name="Rounds"/> rounds, the fastest counts.</param>
/// <param name="CpuMillisecondsPerUpdate">Process CPU time per update in the fastest round: less disturbed than the wall clock by other processes on a shared machine.</param>
/// <param name="FlopsPerUpdate">2 FLOPs per multiply-add of every matrix product the update performs (see <see cref="TrainingCost.UpdateFlops"/>).</param>
/// <param name="MatmulRateGflops">The dense matmul rate measured in the same run at the same thread count.</param>
/// <param name="FractionOfMatmulRate">Achieved GFLOP/s over <paramref name="MatmulRateGflops"/>.</param>
/// <param name="CpuFractionOfMatmulRate">The same on CPU time: FLOPs per CPU second of the update over those of the matmul.</param>
/// <param name="PeakUpdateBytes">Peak resident memory during one update above the resident memory before it (activations,
/// their gradients, temporaries); null where the kernel does not report it.</param>
/// <param name="Goal">Issue 16's goal for <paramref name="FractionOfMatmulRate"/> on this row, if it has one.</param>
/// <param name="TrunkFractionOfMatmulRate">The share a lone residual trunk of the same depth, width and batch reaches in
/// its forward and backward pass, measured in the same run: the update is made of such passes plus its losses and Adam,
/// so this is the ceiling of <paramref name="FractionOfMatmulRate"/> with libtorch's kernels.</param>
public sealed record UpdateTiming(
    int TorchThreads, int Depth, int Width, int BatchSize, int Updates, int Rounds,
    double MillisecondsPerUpdate, double CpuMillisecondsPerUpdate, double FlopsPerUpdate, double GflopsPerSecond,
    double MatmulRateGflops, double FractionOfMatmulRate, double CpuFractionOfMatmulRate, long? PeakUpdateBytes, double? Goal,
    double TrunkFractionOfMatmulRate)
{
    public bool? MeetsGoal => Goal is { } goal ? FractionOfMatmulRate >= goal : null;

    /// <summary>Whether even the lone trunk falls short of the goal, which the update then cannot reach.</summary>
    public bool? GoalAboveCeiling => Goal is { } goal ? TrunkFractionOfMatmulRate < goal : null;
}

/// <summary>Dense matmul rate for one square size at one thread count (best round), on the wall clock and per CPU second.</summary>
public sealed record MatmulRate(int TorchThreads, int Size, double GflopsPerSecond, double GflopsPerCpuSecond);

/// <summary>Resident memory after a number of updates.</summary>
public sealed record MemoryPoint(int Updates, long ResidentBytes);

/// <summary>Everything the <c>trainer</c> benchmark prints.</summary>
/// <param name="NativeHeapKept">Whether <see cref="NativeHeap.KeepFreedMemory"/> was in force (as in a training process).</param>
public sealed record TrainerBenchmarkResult(
    string Device, IReadOnlyList<int> TorchThreads, bool NativeHeapKept, IReadOnlyList<MatmulRate> Matmul,
    IReadOnlyList<UpdateTiming> Updates, string Env, int EnvCount, double EnvStepsPerSecond,
    UpdateShape MemoryShape, IReadOnlyList<MemoryPoint> Memory, double MemoryGrowth, string LoadAverageBefore, string LoadAverageAfter);

/// <summary>Settings of a benchmark run.</summary>
/// <param name="Updates">At most this many updates per timed round.</param>
/// <param name="RoundSeconds">A round is about this long (but at least one update): deep networks get fewer updates per round.</param>
/// <param name="MemoryDepth">Depth of the resident-memory growth test, run at the last shape.</param>
/// <param name="MatmulSizes">Square products whose best rate is the reference (null: <see cref="DefaultMatmulSizes"/>).</param>
public sealed record TrainerBenchmarkConfig(
    IReadOnlyList<int> Depths, IReadOnlyList<UpdateShape> Shapes, IReadOnlyList<int> TorchThreads,
    int Updates = 10, double RoundSeconds = 0.5, string Env = "point_big_maze", int EnvCount = 512, double EnvSeconds = 2,
    int MemoryUpdatesEarly = 1_000, int MemoryUpdatesLate = 10_000, int MemoryDepth = 4,
    string Device = "auto", bool NativeHeapKept = false, IReadOnlyList<int>? MatmulSizes = null)
{
    public static readonly IReadOnlyList<int> DefaultMatmulSizes = [256, 512, 1024, 2048];

    public static readonly IReadOnlyList<int> PaperDepths = [4, 16, 64, 256, 1024];
    public static readonly IReadOnlyList<UpdateShape> DefaultShapes = [new(256, 256), new(64, 64)];
}

/// <summary>
/// Time per update (actor + α + critic) against the machine's own dense matmul rate at the paper's depths, the peak memory
/// an update takes, PointMaze env steps per second on one core, and whether resident memory stays flat over many updates.
/// </summary>
public static class TrainerBenchmark
{
    /// <summary>
    /// Issue 16's goals for the share of the matmul rate: at depths 64 to 1024, ≥ 70 % at width 256, batch 256 on one
    /// thread and ≥ 60 % on two; ≥ 25 % at width 64, batch 64, where per-operation overhead weighs most.
    /// </summary>
    public static double? Goal(int width, int batch, int depth, int threads) => depth < 64 ? null : (width, batch) switch
    {
        (256, 256) => threads == 1 ? 0.70 : threads == 2 ? 0.60 : null,
        (64, 64) => 0.25,
        _ => null,
    };

    public static TrainerBenchmarkResult Run(TrainerBenchmarkConfig config, Action<string>? progress = null, CancellationToken cancellation = default)
    {
        var device = TorchDevice.Resolve(config.Device);
        var spec = EnvRegistry.Get(config.Env).Spec;
        var loadBefore = LoadAverage();
        var threadsBefore = get_num_threads();

        var matmul = new List<MatmulRate>();
        var updates = new List<UpdateTiming>();
        foreach (var threads in config.TorchThreads)
        {
            if (device.type == DeviceType.CPU) set_num_threads(threads);
            // Matmul rounds are interleaved with the update's and the trunk's (Rounds), so all rates see the same conditions.
            var matmulSizes = config.MatmulSizes ?? TrainerBenchmarkConfig.DefaultMatmulSizes;
            var best = matmulSizes.ToDictionary(n => n, n => MeasureMatmul(n, threads, device));
            void MatmulRound()
            {
                foreach (var n in matmulSizes)
                {
                    var rate = MeasureMatmul(n, threads, device);
                    var kept = best[n];
                    best[n] = kept with
                    {
                        GflopsPerSecond = Math.Max(kept.GflopsPerSecond, rate.GflopsPerSecond),
                        GflopsPerCpuSecond = Math.Max(kept.GflopsPerCpuSecond, rate.GflopsPerCpuSecond),
                    };
                }
            }

            var timed = new List<(CrlAgentSpec Spec, UpdateShape Shape, int Depth, RoundTiming Timing, long? Peak, RoundTiming Trunk)>();
            foreach (var shape in config.Shapes)
                foreach (var depth in config.Depths)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var agentSpec = AgentSpec(spec, shape.Width, depth);
                    var (timing, updatePeak) = TimeUpdates(agentSpec, device, shape.BatchSize, config, MatmulRound, cancellation);
                    var trunk = TimeTrunk(agentSpec, device, shape.BatchSize, config, MatmulRound, cancellation);
                    timed.Add((agentSpec, shape, depth, timing, updatePeak, trunk));
                    progress?.Invoke($"{threads} thread(s), depth {depth}, {shape}: {timing.Seconds * 1e3:F1} ms " +
                        $"(best of {timing.Rounds} rounds of {timing.PerRound}), peak {PeakMemory.Mib(updatePeak)}; lone trunk {trunk.Seconds * 1e3:F1} ms");
                }

            var rates = matmulSizes.Select(n => best[n]).ToList();
            foreach (var m in rates) progress?.Invoke($"{threads} thread(s), matmul {m.Size}³: {m.GflopsPerSecond:F1} GFLOP/s");
            matmul.AddRange(rates);
            var peak = rates.Max(m => m.GflopsPerSecond);
            var peakPerCpu = rates.Max(m => m.GflopsPerCpuSecond);
            updates.AddRange(timed.Select(t =>
            {
                var flops = TrainingCost.UpdateFlops(t.Spec, t.Shape.BatchSize);
                var gflops = flops / t.Timing.Seconds / 1e9;
                var trunkGflops = TrunkFlops(t.Spec, t.Shape.BatchSize) / t.Trunk.Seconds / 1e9;
                return new UpdateTiming(threads, t.Depth, t.Shape.Width, t.Shape.BatchSize, t.Timing.PerRound, t.Timing.Rounds,
                    t.Timing.Seconds * 1e3, t.Timing.CpuSeconds * 1e3, flops, gflops, peak, gflops / peak,
                    flops / t.Timing.CpuSeconds / 1e9 / peakPerCpu, t.Peak, Goal(t.Shape.Width, t.Shape.BatchSize, t.Depth, threads),
                    trunkGflops / peak);
            }));
        }

        var envRate = MeasureEnv(config.Env, config.EnvCount, config.EnvSeconds);
        progress?.Invoke($"{config.Env} × {config.EnvCount}: {envRate / 1e6:F2} M env steps/s");

        // Many small updates: at the first thread count, since two OpenMP threads on a loaded machine make them crawl.
        if (device.type == DeviceType.CPU) set_num_threads(config.TorchThreads[0]);
        var memoryShape = config.Shapes[^1];
        var memory = MeasureMemory(spec, config, memoryShape, device, progress, cancellation);
        if (device.type == DeviceType.CPU) set_num_threads(threadsBefore);
        var growth = memory.Count == 2 ? (double)memory[1].ResidentBytes / memory[0].ResidentBytes - 1 : 0;
        return new TrainerBenchmarkResult(device.type.ToString().ToLowerInvariant(), config.TorchThreads, config.NativeHeapKept, matmul, updates,
            config.Env, config.EnvCount, envRate, memoryShape, memory, growth, loadBefore, LoadAverage());
    }

    /// <summary>The paper's hyper-parameters at one width and depth for actor and critic.</summary>
    static CrlAgentSpec AgentSpec(EnvSpec env, int width, int depth) =>
        CrlTrainer.AgentSpec(new CrlConfig { ActorWidth = width, ActorDepth = depth, CriticWidth = width, CriticDepth = depth }, env);

    /// <summary>1, 5 and 15-minute load averages, so a reader can judge how contended the machine was.</summary>
    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    static MatmulRate MeasureMatmul(int size, int threads, Device device)
    {
        using var a = randn(size, size, device: device);
        using var b = randn(size, size, device: device);
        void Once() { using var c = a.mm(b); }
        for (int i = 0; i < 3; i++) Once();
        var flops = 2.0 * size * size * size;
        var timing = Rounds.Time(Once, device, perRound: Math.Max(2, (int)(5e9 / flops)), rounds: 1);
        return new MatmulRate(threads, size, flops / timing.Seconds / 1e9, flops / Math.Max(timing.CpuSeconds, 1e-9) / 1e9);
    }

    /// <summary>
    /// Rounds of updates (<see cref="Rounds.TimeSized"/>: its first, untimed update also lets libtorch build its kernels
    /// lazily), the fastest counting; then one more update whose peak memory is measured.
    /// </summary>
    static (RoundTiming Timing, long? PeakBytes) TimeUpdates(CrlAgentSpec spec, Device device, int batch, TrainerBenchmarkConfig config, Action betweenRounds, CancellationToken cancellation)
    {
        using var agent = new CrlAgent(spec, device);
        using var observation = randn(batch, spec.ObservationDim, device: device);
        using var action = rand(batch, spec.ActionDim, device: device) * 2 - 1;
        void Once()
        {
            using var scope = NewDisposeScope();
            agent.Update(observation, action);
        }
        var timing = Rounds.TimeSized(Once, device, config.Updates, config.RoundSeconds, betweenRounds, cancellation);
        return (timing, PeakMemory.PeakAbove(Once, device));
    }

    /// <summary>
    /// Forward and backward of one residual trunk alone (the critic's φ(s,a) trunk at the update's depth, width and
    /// batch, its loss a plain sum): the same Dense → LayerNorm → Swish layers and residual adds the update runs three
    /// trunks of, without the losses, the actor's sampling or Adam. Gradients accumulate into the trunk's own, as the
    /// update's do into its flat buffer.
    /// </summary>
    static RoundTiming TimeTrunk(CrlAgentSpec spec, Device device, int batch, TrainerBenchmarkConfig config, Action betweenRounds, CancellationToken cancellation)
    {
        using var trunk = new ResidualTrunk(spec.StateDim + spec.ActionDim, spec.CriticWidth, spec.CriticDepth, spec.Activation, spec.Residual);
        trunk.to(device);
        using var input = randn(batch, spec.StateDim + spec.ActionDim, device: device);
        void Once()
        {
            using var scope = NewDisposeScope();
            trunk.forward(input).sum().backward();
        }
        return Rounds.TimeSized(Once, device, config.Updates, config.RoundSeconds, betweenRounds, cancellation);
    }

    /// <summary>
    /// FLOPs of <see cref="TimeTrunk"/>'s pass: forward m multiply-adds per sample (m = input × W + depth × W²), backward
    /// m for the weight gradients and depth × W² for the input gradients of the blocks (the trunk's own input needs none).
    /// </summary>
    static double TrunkFlops(CrlAgentSpec spec, int batch)
    {
        double input = spec.StateDim + spec.ActionDim, width = spec.CriticWidth, blocks = spec.CriticDepth * width * width;
        var forward = input * width + blocks;
        return 2.0 * batch * (2 * forward + blocks);
    }

    /// <summary>Env steps per second of one batched environment on the calling thread, actions uniform in [−1, 1] (best 100-step round).</summary>
    public static double MeasureEnv(string id, int count, double seconds)
    {
        var env = EnvRegistry.Create(id, count, EnvRegistry.PaperEpisodeLength);
        env.Reset(1);
        var rng = new Xoshiro256(2);
        // A pool of pre-drawn actions keeps random number generation out of the timing.
        var pool = new float[64][];
        for (int k = 0; k < pool.Length; k++)
        {
            pool[k] = new float[count * env.Spec.ActionDim];
            for (int i = 0; i < pool[k].Length; i++) pool[k][i] = (float)rng.NextDouble(-1, 1);
        }
        for (int t = 0; t < 100; t++) env.Step(pool[t % pool.Length]);
        // Best of 100-step rounds, for the same reason as the update timings.
        var best = 0.0;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            var clock = Stopwatch.StartNew();
            for (int t = 0; t < 100; t++) env.Step(pool[t % pool.Length]);
            best = Math.Max(best, 100.0 * count / clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    static List<MemoryPoint> MeasureMemory(EnvSpec spec, TrainerBenchmarkConfig config, UpdateShape shape, Device device, Action<string>? progress, CancellationToken cancellation)
    {
        var points = new List<MemoryPoint>();
        if (config.MemoryUpdatesLate <= 0) return points;
        var agentSpec = AgentSpec(spec, shape.Width, config.MemoryDepth);
        using var agent = new CrlAgent(agentSpec, device);
        using var metricSum = zeros(MetricNames.Update.Count, device: device);
        for (int u = 1; u <= config.MemoryUpdatesLate; u++)
        {
            cancellation.ThrowIfCancellationRequested();
            using (NewDisposeScope())
            {
                // Fresh minibatches each update, as in training, so allocator reuse is exercised honestly.
                var observation = randn(shape.BatchSize, agentSpec.ObservationDim, device: device);
                var action = rand(shape.BatchSize, agentSpec.ActionDim, device: device) * 2 - 1;
                metricSum.PlusInPlace(MetricNames.Vector(agent.Update(observation, action)));
            }
            if (u == config.MemoryUpdatesEarly || u == config.MemoryUpdatesLate)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                using var process = Process.GetCurrentProcess();
                points.Add(new MemoryPoint(u, process.WorkingSet64));
                progress?.Invoke($"RSS after {u} updates (depth {config.MemoryDepth}, {shape}): {PeakMemory.Mib(process.WorkingSet64, decimals: 1)}");
            }
        }
        return points;
    }
}

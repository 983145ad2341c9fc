using System.Diagnostics;
using Crl.Core.Algorithms;
using Crl.Core.Environments;
using Crl.Core.Sampling;
using Crl.Core.Torch;
using Crl.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Benchmarks.Trainer;

/// <summary>Timing of one CRL update at one depth.</summary>
/// <param name="FlopsPerUpdate">2 FLOPs per multiply-add of every matrix product the update performs (see <see cref="TrainingCost.UpdateFlops"/>).</param>
/// <param name="FractionOfMatmulRate">Achieved GFLOP/s over the dense matmul rate measured in the same run.</param>
public sealed record UpdateTiming(int Depth, int Width, int BatchSize, int Updates, double MillisecondsPerUpdate, double FlopsPerUpdate, double GflopsPerSecond, double FractionOfMatmulRate);

/// <summary>Dense matmul rate for one square size.</summary>
public sealed record MatmulRate(int Size, double GflopsPerSecond);

/// <summary>Resident memory after a number of updates.</summary>
public sealed record MemoryPoint(int Updates, long ResidentBytes);

/// <summary>Everything the <c>trainer</c> benchmark prints.</summary>
public sealed record TrainerBenchmarkResult(
    string Device, int TorchThreads, IReadOnlyList<MatmulRate> Matmul, double MatmulRateGflops,
    IReadOnlyList<UpdateTiming> Updates, string Env, int EnvCount, double EnvStepsPerSecond,
    IReadOnlyList<MemoryPoint> Memory, double MemoryGrowth, string LoadAverageBefore, string LoadAverageAfter);

/// <summary>Settings of a benchmark run.</summary>
public sealed record TrainerBenchmarkConfig(
    IReadOnlyList<int> Depths, int Width = 256, int BatchSize = 256, int Updates = 30,
    string Env = "point_big_maze", int EnvCount = 512, double EnvSeconds = 2,
    int MemoryUpdatesEarly = 1_000, int MemoryUpdatesLate = 10_000, int MemoryDepth = 4,
    string Device = "auto");

/// <summary>
/// The figures issue 4 asks for: time per update (actor + α + critic) against the machine's own dense matmul rate,
/// PointMaze env steps per second on one core, and whether resident memory stays flat over many updates.
/// </summary>
public static class TrainerBenchmark
{
    public static TrainerBenchmarkResult Run(TrainerBenchmarkConfig config, Action<string>? progress = null, CancellationToken cancellation = default)
    {
        var device = TorchDevice.Resolve(config.Device);
        var spec = EnvRegistry.Get(config.Env).Spec;
        var loadBefore = LoadAverage();

        // The development machines are shared (load averages of 8 on 2 cores were seen), so every figure is a best of
        // several short rounds, and matmul rounds are interleaved with update rounds: the fastest round is the one
        // least disturbed by other processes, and both rates see the same conditions.
        var sizes = new[] { 256, 512, 1024, 2048 };
        var bestMatmul = sizes.ToDictionary(n => n, n => MeasureMatmul(n, device));
        void MatmulRound()
        {
            foreach (var n in sizes)
            {
                var rate = MeasureMatmul(n, device);
                if (rate.GflopsPerSecond > bestMatmul[n].GflopsPerSecond) bestMatmul[n] = rate;
            }
        }

        var timings = new List<(CrlAgentSpec Spec, int Depth, double Seconds)>();
        foreach (var depth in config.Depths)
        {
            cancellation.ThrowIfCancellationRequested();
            var agentSpec = AgentSpec(spec, config.Width, depth);
            var seconds = TimeUpdates(agentSpec, device, config.BatchSize, config.Updates, Rounds, MatmulRound, cancellation);
            timings.Add((agentSpec, depth, seconds));
            progress?.Invoke($"update depth {depth}: {seconds * 1e3:F1} ms (best of {Rounds} rounds)");
        }
        var matmul = sizes.Select(n => bestMatmul[n]).ToList();
        foreach (var m in matmul) progress?.Invoke($"matmul {m.Size}³: {m.GflopsPerSecond:F1} GFLOP/s");
        var peak = matmul.Max(m => m.GflopsPerSecond);
        var updates = timings.Select(t =>
        {
            var flops = TrainingCost.UpdateFlops(t.Spec, config.BatchSize);
            var gflops = flops / t.Seconds / 1e9;
            return new UpdateTiming(t.Depth, config.Width, config.BatchSize, config.Updates, t.Seconds * 1e3, flops, gflops, gflops / peak);
        }).ToList();

        var envRate = MeasureEnv(config.Env, config.EnvCount, config.EnvSeconds);
        progress?.Invoke($"{config.Env} × {config.EnvCount}: {envRate / 1e6:F2} M env steps/s");

        var memory = MeasureMemory(spec, config, device, progress, cancellation);
        var growth = memory.Count == 2 ? (double)memory[1].ResidentBytes / memory[0].ResidentBytes - 1 : 0;
        return new TrainerBenchmarkResult(device.type.ToString().ToLowerInvariant(), get_num_threads(), matmul, peak, updates,
            config.Env, config.EnvCount, envRate, memory, growth, loadBefore, LoadAverage());
    }

    /// <summary>The paper's hyper-parameters at one width and depth for actor and critic.</summary>
    static CrlAgentSpec AgentSpec(EnvSpec env, int width, int depth) =>
        CrlTrainer.AgentSpec(new CrlConfig { ActorWidth = width, ActorDepth = depth, CriticWidth = width, CriticDepth = depth }, env);

    /// <summary>1, 5 and 15-minute load averages, so a reader can judge how contended the machine was.</summary>
    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    static MatmulRate MeasureMatmul(int size, Device device)
    {
        using var a = randn(size, size, device: device);
        using var b = randn(size, size, device: device);
        void Once() { using var c = a.mm(b); }
        for (int i = 0; i < 3; i++) Once();
        Synchronize(device);
        var flops = 2.0 * size * size * size;
        var reps = Math.Max(2, (int)(5e9 / flops));
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < reps; i++) Once();
        Synchronize(device);
        return new MatmulRate(size, flops * reps / clock.Elapsed.TotalSeconds / 1e9);
    }

    const int Rounds = 5;

    /// <summary>Seconds per update: the fastest of <paramref name="rounds"/> rounds of <paramref name="updates"/> updates.</summary>
    static double TimeUpdates(CrlAgentSpec spec, Device device, int batch, int updates, int rounds, Action betweenRounds, CancellationToken cancellation)
    {
        using var agent = new CrlAgent(spec, device);
        using var observation = randn(batch, spec.ObservationDim, device: device);
        using var action = rand(batch, spec.ActionDim, device: device) * 2 - 1;
        void Once()
        {
            using var scope = NewDisposeScope();
            agent.Update(observation, action);
        }
        for (int i = 0; i < 3; i++) Once();
        var best = double.PositiveInfinity;
        for (int r = 0; r < rounds; r++)
        {
            betweenRounds();
            Synchronize(device);
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < updates; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                Once();
            }
            Synchronize(device);
            best = Math.Min(best, clock.Elapsed.TotalSeconds / updates);
        }
        return best;
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

    static List<MemoryPoint> MeasureMemory(EnvSpec spec, TrainerBenchmarkConfig config, Device device, Action<string>? progress, CancellationToken cancellation)
    {
        var points = new List<MemoryPoint>();
        if (config.MemoryUpdatesLate <= 0) return points;
        var agentSpec = AgentSpec(spec, config.Width, config.MemoryDepth);
        using var agent = new CrlAgent(agentSpec, device);
        using var metricSum = zeros(MetricNames.Update.Count, device: device);
        for (int u = 1; u <= config.MemoryUpdatesLate; u++)
        {
            cancellation.ThrowIfCancellationRequested();
            using (NewDisposeScope())
            {
                // Fresh minibatches each update, as in training, so allocator reuse is exercised honestly.
                var observation = randn(config.BatchSize, agentSpec.ObservationDim, device: device);
                var action = rand(config.BatchSize, agentSpec.ActionDim, device: device) * 2 - 1;
                metricSum.PlusInPlace(MetricNames.Vector(agent.Update(observation, action)));
            }
            if (u == config.MemoryUpdatesEarly || u == config.MemoryUpdatesLate)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                using var process = Process.GetCurrentProcess();
                points.Add(new MemoryPoint(u, process.WorkingSet64));
                progress?.Invoke($"RSS after {u} updates: {process.WorkingSet64 / 1048576.0:F1} MiB");
            }
        }
        return points;
    }

    static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize();
    }
}

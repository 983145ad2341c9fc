using System.Diagnostics;
using Crl.Core.Sampling;
using Crl.Core.Environments;
using Crl.Core.Environments.MuJoCo;

namespace Crl.Benchmarks.Envs;

/// <summary>Env steps per second: per wall-clock second, and per second of this process's CPU time.</summary>
/// <param name="Wall">What a user waits for; shared by whatever else the machine runs.</param>
/// <param name="Cpu">
/// Work per step independent of other processes' load (the development machines are shared); equal to
/// <paramref name="Wall"/> on an idle machine when one thread computes.
/// </param>
public readonly record struct StepRate(double Wall, double Cpu);

/// <summary>Env steps per second of one MuJoCo task, batched through the wrapper and as a bare mj_step loop.</summary>
/// <param name="RawOneCore">Bare loop on one core: controls written, frame skip of mj_step, unhealthy slots reset.</param>
/// <param name="WrapperOneCore">The vectorised environment on one worker thread.</param>
/// <param name="WrapperTwoCores">On two worker threads (null on a one-core machine).</param>
/// <param name="WrapperAllCores">On one worker per core.</param>
/// <param name="RawTwoCores">Bare loop on two plain threads, each with half the slots (null on a one-core machine).</param>
public sealed record TaskThroughput(
    string Task, int Envs, int Cores, StepRate RawOneCore, StepRate WrapperOneCore, StepRate? WrapperTwoCores, StepRate WrapperAllCores,
    StepRate? RawTwoCores = null)
{
    /// <summary>
    /// How much more CPU time an env step costs through the wrapper than in the bare loop, in percent (goal ≤ 10,
    /// issue 5); measured on CPU time so that other processes on a shared machine do not decide it.
    /// </summary>
    public double OverheadPercent => 100 * (RawOneCore.Cpu / WrapperOneCore.Cpu - 1);

    /// <summary>Two-core wall-clock rate over one-core wall-clock rate (goal ≥ 1.7, issue 5).</summary>
    public double? TwoCoreSpeedup => WrapperTwoCores?.Wall / WrapperOneCore.Wall;

    /// <summary>
    /// The bare loop's own two-thread speed-up, measured in the same run: what the machine's second core gives at
    /// that moment. On a shared machine it falls below 2 however good the wrapper is, so the wrapper's speed-up is
    /// judged against it too.
    /// </summary>
    public double? RawTwoCoreSpeedup => RawTwoCores?.Wall / RawOneCore.Wall;

    /// <summary>The wrapper's two-core speed-up as a share of the bare loop's: 1 when handing out slots costs nothing.</summary>
    public double? SpeedupOfRawSpeedup => TwoCoreSpeedup / RawTwoCoreSpeedup;

    /// <summary>
    /// Env steps per CPU-second on two workers over one worker: 1 when handing slots to a second thread costs
    /// nothing. Unlike <see cref="TwoCoreSpeedup"/> it holds on a machine whose cores other processes also use.
    /// </summary>
    public double? TwoCoreCpuEfficiency => WrapperTwoCores?.Cpu / WrapperOneCore.Cpu;
}

/// <summary>
/// Measures <see cref="TaskThroughput"/>. Both loops see the same states and the same controls: the bare loop starts
/// from the wrapper's reset slots, replays the controls the task's own action mapping produces from a fixed pool of
/// random actions (amplitude 0.25 for locomotion, about the CRL actor's initial spread —
/// and 1 for the arms, as environments.md §3 describes), and resets a slot to its start on the same healthy-height rule.
/// What remains between the two is the wrapper's own work: action mapping, observation and goal bookkeeping,
/// the kinematics pass for body features, and handing slots to threads. Repetitions alternate the loops and
/// keep each one's best, since the shared machines here vary by ±25 %.
/// </summary>
public static class StepThroughput
{
    private const int ActionPool = 16, WarmupSteps = 3;

    public static TaskThroughput Measure(MujocoLibrary library, string task, int envs, TimeSpan duration, int repeats, ulong seed = 1)
    {
        int cores = Environment.ProcessorCount;
        MujocoVectorEnv Create(int threads) => MujocoTasks.Create(library, task, envs, EnvRegistry.PaperEpisodeLength, AutoResetMode.FirstState, threads);
        StepRate raw = default, one = default, all = default;
        StepRate? two = null, rawTwo = null;
        var actionPool = RandomActions(MujocoTasks.SpecOf(task), envs, seed);
        for (int r = 0; r < repeats; r++)
        {
            raw = Best(raw, RawLoop(Create(1), actionPool, duration, threads: 1));
            one = Best(one, Wrapper(Create(1), actionPool, duration));
            if (cores >= 2)
            {
                rawTwo = Best(rawTwo ?? default, RawLoop(Create(1), actionPool, duration, threads: 2));
                two = Best(two ?? default, Wrapper(Create(2), actionPool, duration));
            }
            if (cores > 2) all = Best(all, Wrapper(Create(cores), actionPool, duration));
        }
        if (cores <= 2) all = two ?? one;
        return new TaskThroughput(task, envs, cores, raw, one, two, all, rawTwo);
    }

    private static StepRate Best(StepRate a, StepRate b) => new(Math.Max(a.Wall, b.Wall), Math.Max(a.Cpu, b.Cpu));

    /// <summary>Wall-clock and process CPU time of a timed section.</summary>
    private sealed class Clock
    {
        private readonly Stopwatch wall = Stopwatch.StartNew();
        private readonly TimeSpan cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;

        public TimeSpan Elapsed => wall.Elapsed;

        public StepRate Rate(long envSteps) =>
            new(envSteps / wall.Elapsed.TotalSeconds, envSteps / (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds);
    }

    private static float[][] RandomActions(EnvSpec spec, int envs, ulong seed)
    {
        var random = new Xoshiro256(seed);
        double amplitude = spec.Id.StartsWith("arm_", StringComparison.Ordinal) ? 1.0 : 0.25;
        var pool = new float[ActionPool][];
        for (int b = 0; b < ActionPool; b++)
        {
            pool[b] = new float[envs * spec.ActionDim];
            for (int k = 0; k < pool[b].Length; k++) pool[b][k] = (float)random.NextDouble(-amplitude, amplitude);
        }
        return pool;
    }

    private static StepRate Wrapper(MujocoVectorEnv created, float[][] actionPool, TimeSpan duration)
    {
        using var env = created;
        int envs = env.NumEnvs;
        env.Reset(seed: 1);
        for (int t = 0; t < WarmupSteps; t++) env.Step(actionPool[t % ActionPool]);
        long steps = 0;
        var clock = new Clock();
        while (clock.Elapsed < duration)
        {
            env.Step(actionPool[steps % ActionPool]);
            steps++;
        }
        return clock.Rate(steps * envs);
    }

    private static StepRate RawLoop(MujocoVectorEnv created, float[][] actionPool, TimeSpan duration, int threads)
    {
        using var env = created;
        int envs = env.NumEnvs;
        env.Reset(seed: 1);
        var model = env.Model;
        int nu = model.Nu, nq = model.Nq, nv = model.Nv, a = env.Spec.ActionDim;
        // Controls the task's mapping gives for each pooled action row, computed before the clock starts.
        var controls = new double[ActionPool][];
        for (int b = 0; b < ActionPool; b++)
        {
            controls[b] = new double[envs * nu];
            for (int i = 0; i < envs; i++)
            {
                env.WriteControls(i, actionPool[b].AsSpan(i * a, a));
                env.SlotData(i).Read(MjArray.Ctrl, 0, controls[b], i * nu, nu);
            }
        }
        var data = new MujocoData[envs];
        var startQpos = new double[envs * nq];
        var startQvel = new double[envs * nv];
        for (int i = 0; i < envs; i++)
        {
            env.SlotData(i).Read(MjArray.Qpos, 0, startQpos, i * nq, nq);
            env.SlotData(i).Read(MjArray.Qvel, 0, startQvel, i * nv, nv);
            data[i] = model.MakeData();
            Restart(data[i], startQpos, startQvel, i, nq, nv);
        }
        var healthy = env.HealthyTorsoHeight;
        void StepRange(long round, int from, int to)
        {
            var batch = controls[round % ActionPool];
            for (int i = from; i < to; i++)
            {
                var d = data[i];
                d.Write(MjArray.Ctrl, 0, batch, i * nu, nu);
                for (int k = 0; k < env.FrameSkip; k++) d.Step();
                if (healthy is { } h && d.Get(MjArray.Qpos, 2) is var z && (z < h.Min || z > h.Max))
                    Restart(d, startQpos, startQvel, i, nq, nv);
            }
        }
        try
        {
            for (long round = 0; round < WarmupSteps; round++) StepRange(round, 0, envs);
            // Plain threads, each with its own slice of slots and no hand-off between batches: what the machine's
            // cores can do with this model, the yardstick for the wrapper's own two-core speed-up.
            var steps = new long[threads];
            var clock = new Clock();
            void Worker(int t)
            {
                int from = t * envs / threads, to = (t + 1) * envs / threads;
                for (long round = WarmupSteps; clock.Elapsed < duration; round++)
                {
                    StepRange(round, from, to);
                    steps[t] += to - from;
                }
            }
            var helpers = Enumerable.Range(1, threads - 1).Select(t => new Thread(() => Worker(t)) { IsBackground = true }).ToList();
            foreach (var h in helpers) h.Start();
            Worker(0);
            foreach (var h in helpers) h.Join();
            return clock.Rate(steps.Sum());
        }
        finally
        {
            foreach (var d in data) d.Dispose();
        }
    }

    private static void Restart(MujocoData d, double[] qpos, double[] qvel, int i, int nq, int nv)
    {
        d.Reset();
        d.Write(MjArray.Qpos, 0, qpos, i * nq, nq);
        d.Write(MjArray.Qvel, 0, qvel, i * nv, nv);
        d.Forward();
    }
}

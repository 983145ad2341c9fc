using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Benchmarks.Trainer;

/// <summary>The fastest round's time per piece of work, on the wall clock and in process CPU time.</summary>
public sealed record RoundTiming(double Seconds, double CpuSeconds, int PerRound, int Rounds);

/// <summary>
/// How every trainer benchmark times work. The development machines are shared (load averages of 8 on 2 cores were
/// seen), so a figure is the best of several short rounds: the fastest round is the one least disturbed by other
/// processes, and work timed against each other (an update and the matmul rate) interleaves its rounds.
/// </summary>
public static class Rounds
{
    /// <param name="perRound">Repetitions of <paramref name="work"/> per round.</param>
    /// <param name="betweenRounds">Run before each round, outside the timing.</param>
    public static RoundTiming Time(Action work, Device device, int perRound, int rounds, Action? betweenRounds = null, CancellationToken cancellation = default)
    {
        double best = double.PositiveInfinity, bestCpu = double.PositiveInfinity;
        for (int r = 0; r < rounds; r++)
        {
            betweenRounds?.Invoke();
            Synchronize(device);
            var cpu = CpuTime();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < perRound; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                work();
            }
            Synchronize(device);
            best = Math.Min(best, clock.Elapsed.TotalSeconds / perRound);
            bestCpu = Math.Min(bestCpu, (CpuTime() - cpu).TotalSeconds / perRound);
        }
        return new RoundTiming(best, bestCpu, perRound, rounds);
    }

    /// <summary>
    /// Rounds of about <paramref name="roundSeconds"/> (at most <paramref name="maxPerRound"/> repetitions, at least one)
    /// sized by one warm-up run: 5 rounds, or 3 once one run takes over a second, so depth 1024 times single updates.
    /// </summary>
    public static RoundTiming TimeSized(Action work, Device device, int maxPerRound, double roundSeconds, Action? betweenRounds = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        work();
        Synchronize(device);
        var estimate = clock.Elapsed.TotalSeconds;
        var perRound = Math.Clamp((int)(roundSeconds / estimate), 1, maxPerRound);
        return Time(work, device, perRound, estimate > 1 ? 3 : 5, betweenRounds, cancellation);
    }

    public static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    public static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize();
    }
}

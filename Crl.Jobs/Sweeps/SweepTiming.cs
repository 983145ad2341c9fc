using Crl.Core.Environments;
using Crl.Core.Training;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;

namespace Crl.Jobs.Sweeps;

/// <summary>
/// How long a sweep has been training (from its first run's start to its last run's end, or now) and how long it has
/// left: runs training now finish at their own measured rate (<see cref="RunTiming"/>); queued runs take their FLOPs
/// (<see cref="TrainingCost"/>) at the seconds per FLOP this sweep's runs have shown so far, drained longest-first
/// by the live worker slots (as if those slots worked on this sweep alone). Left is null while nothing is measured
/// yet or no worker is alive to train the queued runs.
/// </summary>
public sealed record SweepTiming(TimeSpan Elapsed, TimeSpan? Left, int Slots)
{
    public static SweepTiming? Of(IReadOnlyList<Run> runs, int liveSlots, DateTime now)
    {
        var started = runs.Where(r => r.StartedAt is not null).ToList();
        if (started.Count == 0) return null;
        var unfinished = runs.Where(r => !r.State.IsFinished()).ToList();
        var end = unfinished.Count == 0 ? started.Max(r => r.FinishedAt ?? r.StartedAt!.Value) : now;
        var elapsed = end - started.Min(r => r.StartedAt!.Value);
        if (unfinished.Count == 0) return new SweepTiming(elapsed, TimeSpan.Zero, liveSlots);

        // Seconds per FLOP, from every run that has a measured duration: finished ones whole, running ones projected.
        double seconds = 0, flops = 0;
        var timings = new Dictionary<long, RunTiming>();
        foreach (var run in started)
        {
            var timing = RunTiming.Of(run.StartedAt, run.FinishedAt, run.State == RunState.Running, run.Progress, now);
            if (timing is not { } t) continue;
            timings[run.Id] = t;
            double? duration = run.State == RunState.Succeeded ? t.Elapsed.TotalSeconds
                : run.State == RunState.Running && t.Left is { } left ? (t.Elapsed + left).TotalSeconds : null;
            if (duration is { } d && Flops(run) is { } f) (seconds, flops) = (seconds + d, flops + f);
        }
        var secondsPerFlop = flops > 0 ? seconds / flops : (double?)null;

        var busy = new List<double>();
        var queued = new List<double>();
        foreach (var run in unfinished)
        {
            double? left = run.State == RunState.Running && timings.TryGetValue(run.Id, out var t) && t.Left is { } measured
                ? measured.TotalSeconds
                : secondsPerFlop is { } rate && Flops(run) is { } f ? f * rate * (1 - run.Progress) : null;
            if (left is null) return new SweepTiming(elapsed, null, liveSlots);
            (run.State == RunState.Running ? busy : queued).Add(left.Value);
        }
        if (queued.Count > 0 && liveSlots == 0) return new SweepTiming(elapsed, null, liveSlots);
        return new SweepTiming(elapsed, TimeSpan.FromSeconds(ComputeEstimate.Makespan(queued, liveSlots, busy)), liveSlots);
    }

    private static double? Flops(Run run)
    {
        var config = StoredConfig.Read(run.ConfigJson);
        // A run of an environment this build no longer has cannot be costed.
        return EnvRegistry.TryGet(config.Env, out _) ? TrainingCost.Of(config).TotalFlops : null;
    }
}

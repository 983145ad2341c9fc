using Crl.Core.Training;

namespace Crl.Jobs.Sweeps;

/// <summary>FLOPs per second of training wall time that recent finished runs reached on this installation's workers.</summary>
public sealed record MeasuredThroughput(double FlopsPerSecond, int Runs);

/// <summary>A live worker's training device and the memory a run has there, as the worker reports it.</summary>
public sealed record WorkerDevice(string Worker, string Device, long MemoryBytes);

/// <summary>Runs of a sweep whose peak memory per update is more than the largest device of the live workers holds.</summary>
/// <param name="FitWithCheckpointing">How many of them would fit with <c>activationCheckpointing</c> on.</param>
public sealed record MemoryWarning(int Runs, double LargestPeakBytes, WorkerDevice Largest, int FitWithCheckpointing)
{
    public string Message =>
        $"{Runs:N0} run(s) need up to {ComputeEstimate.Bytes(LargestPeakBytes)} per update, more than the largest device of the live workers " +
        $"({Largest.Device} on {Largest.Worker}: {ComputeEstimate.Bytes(Largest.MemoryBytes)}); they would fail for lack of memory" +
        (FitWithCheckpointing > 0 ? $". With activation checkpointing on, {FitWithCheckpointing:N0} of them would fit" : "");
}

/// <summary>
/// What a planned sweep will cost: its FLOPs (<see cref="TrainingCost"/>), its runs' peak memory per update
/// (<see cref="UpdateMemory"/>: the smallest and largest over its runs) and, once finished runs have measured the
/// throughput, the training time it adds up to and how long the given worker slots take to drain it. With the live
/// workers' devices it warns about runs that will not fit any of them.
/// </summary>
public sealed record ComputeEstimate(double TotalFlops, MeasuredThroughput? Throughput, TimeSpan? TrainingTime, int Slots, TimeSpan? WallClock)
{
    public double SmallestPeakMemoryBytes { get; init; }
    public double LargestPeakMemoryBytes { get; init; }

    /// <summary>Null when every run fits, or when no live worker reports its device's memory.</summary>
    public MemoryWarning? MemoryWarning { get; init; }

    public static ComputeEstimate Of(SweepPlan plan, MeasuredThroughput? throughput, int slots, IReadOnlyCollection<WorkerDevice>? devices = null)
    {
        var flops = plan.Runs.Select(r => TrainingCost.Of(r.Config).TotalFlops).ToList();
        var peaks = plan.Runs.Select(r => UpdateMemory.Of(r.Config).PeakBytes).ToList();
        var seconds = throughput is null ? null : flops.Select(f => f / throughput.FlopsPerSecond).ToList();
        var estimate = seconds is null
            ? new ComputeEstimate(flops.Sum(), null, null, slots, null)
            : new ComputeEstimate(flops.Sum(), throughput, TimeSpan.FromSeconds(seconds.Sum()), slots,
                slots > 0 ? TimeSpan.FromSeconds(Makespan(seconds, slots)) : null);
        return estimate with
        {
            SmallestPeakMemoryBytes = peaks.DefaultIfEmpty(0).Min(),
            LargestPeakMemoryBytes = peaks.DefaultIfEmpty(0).Max(),
            MemoryWarning = Warn(plan, peaks, devices ?? []),
        };
    }

    private static MemoryWarning? Warn(SweepPlan plan, List<double> peaks, IReadOnlyCollection<WorkerDevice> devices)
    {
        if (devices.Count == 0) return null;
        var largest = devices.MaxBy(d => d.MemoryBytes)!;
        var over = plan.Runs.Zip(peaks).Where(r => r.Second > largest.MemoryBytes).ToList();
        if (over.Count == 0) return null;
        var fit = over.Count(r => !r.First.Config.ActivationCheckpointing
            && UpdateMemory.Of(r.First.Config with { ActivationCheckpointing = true }).PeakBytes <= largest.MemoryBytes);
        return new MemoryWarning(over.Count, over.Max(r => r.Second), largest, fit);
    }

    /// <summary>Bytes in binary units, as the preview prints them ("1.3 GiB").</summary>
    public static string Bytes(double bytes) => bytes switch
    {
        >= 1L << 40 => $"{bytes / (1L << 40):N1} TiB",
        >= 1L << 30 => $"{bytes / (1L << 30):N1} GiB",
        >= 1L << 20 => $"{bytes / (1L << 20):N0} MiB",
        _ => $"{bytes / 1024:N0} KiB",
    };

    /// <summary>
    /// Longest runs first, each to the slot that frees up first: how a queue drained by identical slots behaves.
    /// <paramref name="busyFor"/> are the seconds left of runs already training, one slot each.
    /// </summary>
    public static double Makespan(IEnumerable<double> runSeconds, int slots, IReadOnlyCollection<double>? busyFor = null)
    {
        busyFor ??= [];
        var busyUntil = new PriorityQueue<int, double>();
        var busy = busyFor.ToList();
        for (int s = 0; s < Math.Max(slots, busy.Count); s++) busyUntil.Enqueue(s, s < busy.Count ? busy[s] : 0);
        double end = busy.Count == 0 ? 0 : busy.Max();
        foreach (var seconds in runSeconds.OrderDescending())
        {
            busyUntil.TryDequeue(out var slot, out var free);
            end = Math.Max(end, free + seconds);
            busyUntil.Enqueue(slot, free + seconds);
        }
        return end;
    }
}

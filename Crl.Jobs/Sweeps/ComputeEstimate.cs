using Crl.Core.Training;

namespace Crl.Jobs.Sweeps;

/// <summary>FLOPs per second of training wall time that recent finished runs reached on this installation's workers.</summary>
public sealed record MeasuredThroughput(double FlopsPerSecond, int Runs);

/// <summary>
/// What a planned sweep will cost: its FLOPs (<see cref="TrainingCost"/>) and, once finished runs have measured the
/// throughput, the training time it adds up to and how long the given worker slots take to drain it.
/// </summary>
public sealed record ComputeEstimate(double TotalFlops, MeasuredThroughput? Throughput, TimeSpan? TrainingTime, int Slots, TimeSpan? WallClock)
{
    public static ComputeEstimate Of(SweepPlan plan, MeasuredThroughput? throughput, int slots)
    {
        var flops = plan.Runs.Select(r => TrainingCost.Of(r.Config).TotalFlops).ToList();
        if (throughput is null) return new ComputeEstimate(flops.Sum(), null, null, slots, null);
        var seconds = flops.Select(f => f / throughput.FlopsPerSecond).ToList();
        return new ComputeEstimate(flops.Sum(), throughput, TimeSpan.FromSeconds(seconds.Sum()), slots,
            slots > 0 ? TimeSpan.FromSeconds(Makespan(seconds, slots)) : null);
    }

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

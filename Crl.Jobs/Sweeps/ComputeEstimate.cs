using Crl.Core.Environments;
using Crl.Core.Training;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;

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

    /// <summary>Longest runs first, each to the slot that frees up first: how a queue drained by identical slots behaves.</summary>
    private static double Makespan(IEnumerable<double> runSeconds, int slots)
    {
        var busyUntil = new PriorityQueue<int, double>();
        for (int s = 0; s < slots; s++) busyUntil.Enqueue(s, 0);
        double end = 0;
        foreach (var seconds in runSeconds.OrderDescending())
        {
            busyUntil.TryDequeue(out var slot, out var free);
            end = Math.Max(end, free + seconds);
            busyUntil.Enqueue(slot, free + seconds);
        }
        return end;
    }
}

/// <summary>Measures <see cref="MeasuredThroughput"/> from the most recent succeeded runs' FLOPs and training wall time.</summary>
public sealed class ThroughputMeter(IDbContextFactory<ExperimentDb> dbFactory)
{
    public const int RecentRuns = 20;

    public async Task<MeasuredThroughput?> MeasureAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await db.Runs.AsNoTracking()
            .Where(r => r.State == RunState.Succeeded)
            .OrderByDescending(r => r.FinishedAt)
            .Take(RecentRuns)
            .Select(r => new { r.Id, r.ConfigJson })
            .ToListAsync(cancellationToken);
        if (runs.Count == 0) return null;

        var ids = runs.Select(r => r.Id).ToList();
        // Wall times are the run's training clock, which resumes carry on (unlike FinishedAt − StartedAt). From the
        // first report (after the replay buffer's prefill and the untrained evaluation) to the last one, every update
        // happens: a fixed start-up cost would otherwise make small runs look slow and big sweeps look long.
        var seconds = await db.MetricPoints.Where(p => ids.Contains(p.RunId))
            .GroupBy(p => p.RunId)
            .Select(g => new { RunId = g.Key, Seconds = g.Max(p => p.WallTime) - g.Min(p => p.WallTime) })
            .ToDictionaryAsync(g => g.RunId, g => g.Seconds, cancellationToken);

        double flops = 0, time = 0;
        int measured = 0;
        foreach (var run in runs)
        {
            if (!seconds.TryGetValue(run.Id, out var s) || s <= 0) continue;
            // A run of an environment this build no longer has cannot be costed; it says nothing about throughput.
            var config = StoredConfig.Read(run.ConfigJson);
            if (!EnvRegistry.TryGet(config.Env, out _)) continue;
            flops += TrainingCost.Of(config).TotalFlops;
            time += s;
            measured++;
        }
        return measured == 0 ? null : new MeasuredThroughput(flops / time, measured);
    }
}

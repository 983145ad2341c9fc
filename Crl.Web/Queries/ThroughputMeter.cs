using Crl.Core.Environments;
using Crl.Core.Training;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Sweeps;
using Microsoft.EntityFrameworkCore;

namespace Crl.Web.Queries;

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

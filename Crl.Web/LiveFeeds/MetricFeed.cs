using Crl.Jobs.Hosting;
using Crl.Jobs.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crl.Web.LiveFeeds;

/// <summary>A metric point as the live feed delivers it.</summary>
public sealed record LivePoint(long Id, long RunId, string Name, long Step, double WallTime, double Value);

/// <summary>
/// Pushes new metric points to the pages that watch their runs. Points may come from workers in other processes or
/// on other machines, so the database is the channel: each tick reads the points with an id above the last one
/// seen (a range of the primary key) for the watched runs, and hands each page its run's points. Pages never poll.
/// A tick that finds nothing new costs one <c>MAX(Id)</c> over the primary key's range, so it runs often: a point
/// waits at most one tick (50 ms) of the half second a commit may take to be drawn.
/// </summary>
public sealed class MetricFeed(IDbContextFactory<ExperimentDb> dbFactory, ILogger<MetricFeed> logger) : PeriodicService(logger)
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    private readonly Lock gate = new();
    private readonly Dictionary<long, List<Action<IReadOnlyList<LivePoint>>>> watchers = [];
    private long lastSeen = -1;

    /// <summary>Calls <paramref name="onPoints"/> with each batch of new points of the run until the returned handle is disposed.</summary>
    public IDisposable Watch(long runId, Action<IReadOnlyList<LivePoint>> onPoints)
    {
        lock (gate)
        {
            if (!watchers.TryGetValue(runId, out var list)) watchers[runId] = list = [];
            list.Add(onPoints);
        }
        return new Unwatch(() =>
        {
            lock (gate)
            {
                if (watchers.TryGetValue(runId, out var list) && list.Remove(onPoints) && list.Count == 0) watchers.Remove(runId);
            }
        });
    }

    /// <summary>The newest point id when a page loaded its curves; it asks the feed only for points after it.</summary>
    public async Task<long> NewestIdAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.MetricPoints.MaxAsync(p => (long?)p.Id, cancellationToken) ?? 0;
    }

    protected override TimeSpan Period => Tick;

    protected override string FailureMessage => "Reading new metric points failed";

    protected override Task TickAsync(CancellationToken cancellationToken) => PublishAsync(cancellationToken);

    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        long[] runs;
        lock (gate) runs = [.. watchers.Keys];
        if (lastSeen < 0 || runs.Length == 0)
        {
            lastSeen = await NewestIdAsync(cancellationToken);
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var since = lastSeen;
        var newest = await db.MetricPoints.Where(p => p.Id > since).MaxAsync(p => (long?)p.Id, cancellationToken);
        if (newest is null) return;
        var points = await db.MetricPoints.AsNoTracking()
            .Where(p => p.Id > since && p.Id <= newest && runs.Contains(p.RunId))
            .OrderBy(p => p.Id)
            .Select(p => new LivePoint(p.Id, p.RunId, p.Name, p.Step, p.WallTime, p.Value))
            .ToListAsync(cancellationToken);
        lastSeen = newest.Value;

        foreach (var group in points.GroupBy(p => p.RunId))
        {
            Action<IReadOnlyList<LivePoint>>[] callbacks;
            lock (gate) callbacks = watchers.TryGetValue(group.Key, out var list) ? [.. list] : [];
            var batch = group.ToList();
            foreach (var callback in callbacks) callback(batch);
        }
    }

    private sealed class Unwatch(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

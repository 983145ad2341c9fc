using Crl.Jobs.Hosting;
using Crl.Jobs.Persistence;
using Crl.Web.Queries;
using Microsoft.EntityFrameworkCore;

namespace Crl.Web.LiveFeeds;

/// <summary>
/// Pushes run changes to open pages. Workers may be other processes or machines, so the database is the only
/// channel: one indexed query per tick for rows updated since the last tick, then an event the circuits handle.
/// Pages never poll.
/// </summary>
public sealed class RunChangeFeed(IDbContextFactory<ExperimentDb> dbFactory, ILogger<RunChangeFeed> logger) : PeriodicService(logger)
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    // Rows are stamped by their writer's clock and committed in any order; re-reading a short window behind the
    // newest stamp seen catches a late commit, and the per-run stamp below drops what was already sent.
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);

    private readonly Dictionary<long, DateTime> sent = [];

    public event Action<IReadOnlyList<RunSummary>>? Changed;

    private DateTime since = DateTime.UtcNow - Overlap;

    protected override TimeSpan Period => Tick;

    protected override string FailureMessage => "Reading run changes failed";

    protected override async Task TickAsync(CancellationToken cancellationToken) => since = await PublishChangesAsync(since, cancellationToken);

    private async Task<DateTime> PublishChangesAsync(DateTime since, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var window = since - Overlap;
        var rows = await db.Runs.AsNoTracking().Where(r => r.UpdatedAt > window).Select(RunSummary.Shape).ToListAsync(cancellationToken);
        var fresh = rows.Where(r => !sent.TryGetValue(r.Id, out var stamp) || stamp != r.UpdatedAt).ToList();
        foreach (var run in fresh) sent[run.Id] = run.UpdatedAt;
        foreach (var stale in sent.Where(kv => kv.Value < window).Select(kv => kv.Key).ToList()) sent.Remove(stale);

        if (fresh.Count > 0) Changed?.Invoke(fresh);
        var newest = rows.Count == 0 ? since : rows.Max(r => r.UpdatedAt);
        return newest > since ? newest : since;
    }
}

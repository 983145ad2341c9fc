using Crl.Jobs.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crl.Web.Services;

/// <summary>Reads runs for the dashboard's pages.</summary>
public sealed class RunsQuery(IDbContextFactory<ExperimentDb> dbFactory)
{
    public async Task<List<RunSummary>> RecentAsync(int count, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await RunSummary.From(db.Runs.AsNoTracking().OrderByDescending(r => r.Id).Take(count)).ToListAsync(cancellationToken);
    }
}

using System.Text.Json;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace Crl.Web.Queries;

/// <summary>A sweep with its runs' states counted.</summary>
public sealed record SweepDetails(long Id, string Name, Owner Owner, DateTime CreatedAt, RunState State, IReadOnlyDictionary<RunState, int> RunsByState, IReadOnlyList<long> RunIds, JsonElement Spec);

/// <summary>
/// Sweeps with their runs' states, for the pages and the API alike. A page of sweeps costs two round trips however
/// many sweeps it holds: the sweeps, then the states of all their runs at once.
/// </summary>
public sealed class SweepsQuery(IDbContextFactory<ExperimentDb> dbFactory)
{
    public async Task<SweepDetails?> SweepAsync(long id, CancellationToken cancellationToken = default) =>
        (await DetailsAsync(sweeps => sweeps.Where(s => s.Id == id), cancellationToken)).SingleOrDefault();

    /// <summary>Newest first.</summary>
    public Task<List<SweepDetails>> PageAsync(int skip, int take, CancellationToken cancellationToken = default) =>
        DetailsAsync(sweeps => sweeps.OrderByDescending(s => s.Id).Skip(skip).Take(take), cancellationToken);

    public async Task<bool> ExistsAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Sweeps.AnyAsync(s => s.Id == id, cancellationToken);
    }

    /// <summary>Who launched the sweep; null when it does not exist.</summary>
    public async Task<Owner?> OwnerOfSweepAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sweep = await db.Sweeps.Where(s => s.Id == id)
            .Select(s => new { s.OwnerId, Name = db.Users.Where(u => u.Id == s.OwnerId).Select(u => u.Name).FirstOrDefault() })
            .SingleOrDefaultAsync(cancellationToken);
        return sweep is null ? null : OwnerOf(sweep.OwnerId, sweep.Name);
    }

    /// <summary>A run belongs to whoever launched its sweep; null when it does not exist.</summary>
    public async Task<Owner?> OwnerOfRunAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.Where(r => r.Id == runId)
            .Select(r => new { OwnerId = r.Sweep == null ? null : r.Sweep.OwnerId })
            .Select(r => new { r.OwnerId, Name = db.Users.Where(u => u.Id == r.OwnerId).Select(u => u.Name).FirstOrDefault() })
            .SingleOrDefaultAsync(cancellationToken);
        return run is null ? null : OwnerOf(run.OwnerId, run.Name);
    }

    /// <summary>A user by name; no owner is the automation token; an id without a row, a user since deleted.</summary>
    private static Owner OwnerOf(long? id, string? name) => new(id, (id, name) switch
    {
        (null, _) => "the automation token",
        (_, { } known) => known,
        ({ } gone, null) => $"deleted user #{gone}",
    });

    private async Task<List<SweepDetails>> DetailsAsync(Func<IQueryable<Sweep>, IQueryable<Sweep>> pick, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The owner's name comes in the same round trip, as a subquery.
        var sweeps = await pick(db.Sweeps.AsNoTracking())
            .Select(s => new { Sweep = s, OwnerName = db.Users.Where(u => u.Id == s.OwnerId).Select(u => u.Name).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        if (sweeps.Count == 0) return [];
        var ids = sweeps.Select(s => s.Sweep.Id).ToList();
        var runs = (await db.Runs.AsNoTracking()
                .Where(r => r.SweepId != null && ids.Contains(r.SweepId.Value))
                .OrderBy(r => r.Id)
                .Select(r => new { SweepId = r.SweepId!.Value, r.Id, r.State })
                .ToListAsync(cancellationToken))
            .ToLookup(r => r.SweepId);
        return sweeps.Select(row =>
        {
            var sweep = row.Sweep;
            var own = runs[sweep.Id].ToList();
            return new SweepDetails(sweep.Id, sweep.Name, OwnerOf(sweep.OwnerId, row.OwnerName), sweep.CreatedAt, SweepState.Of(own.Select(r => r.State).ToList()),
                own.GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Count()),
                own.Select(r => r.Id).ToList(), JsonDocument.Parse(sweep.SpecJson).RootElement.Clone());
        }).ToList();
    }
}

using System.Text.Json;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;

namespace Crl.Web.Queries;

/// <summary>A metric's points in step order.</summary>
public sealed record MetricSeries(string Name, IReadOnlyList<long> Steps, IReadOnlyList<double> WallTimes, IReadOnlyList<double> Values);

/// <summary>Reads sweeps, runs and metrics for the API and the pages.</summary>
public sealed class ExperimentQueries(IDbContextFactory<ExperimentDb> dbFactory)
{
    public const int MaxPageSize = 1000;

    public async Task<SweepDetails?> SweepAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sweep = await db.Sweeps.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (sweep is null) return null;
        var runs = await db.Runs.AsNoTracking().Where(r => r.SweepId == id).OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.State }).ToListAsync(cancellationToken);
        return new SweepDetails(sweep.Id, sweep.Name, sweep.CreatedAt, SweepState.Of(runs.Select(r => r.State).ToList()),
            runs.GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Count()),
            runs.Select(r => r.Id).ToList(), JsonDocument.Parse(sweep.SpecJson).RootElement.Clone());
    }

    public async Task<List<SweepDetails>> SweepsAsync(int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = await db.Sweeps.AsNoTracking().OrderByDescending(s => s.Id).Skip(skip).Take(take).Select(s => s.Id).ToListAsync(cancellationToken);
        var sweeps = new List<SweepDetails>();
        foreach (var id in ids) sweeps.Add((await SweepAsync(id, cancellationToken))!);
        return sweeps;
    }

    public async Task<RunDetails?> RunAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return run is null ? null : RunDetails.Of(run);
    }

    public async Task<(List<RunDetails> Runs, int Total)> RunsAsync(long? sweepId, RunState? state, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Runs.AsNoTracking();
        if (sweepId is { } s) query = query.Where(r => r.SweepId == s);
        if (state is { } st) query = query.Where(r => r.State == st);
        var total = await query.CountAsync(cancellationToken);
        var runs = await query.OrderBy(r => r.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return (runs.Select(RunDetails.Of).ToList(), total);
    }

    /// <summary>
    /// Every metric of a run, each in step order: one index range scan read straight into arrays, since a run page
    /// loads tens of thousands of points and object materialisation would cost more than the scan.
    /// </summary>
    public async Task<List<MetricSeries>> MetricsAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        // Quoted: PostgreSQL folds unquoted names to lower case; SQLite accepts either.
        command.CommandText = """SELECT "Name", "Step", "WallTime", "Value" FROM "MetricPoints" WHERE "RunId" = @run ORDER BY "Name", "Step" """;
        var run = command.CreateParameter();
        run.ParameterName = "@run";
        run.Value = runId;
        command.Parameters.Add(run);

        var series = new List<MetricSeries>();
        string? name = null;
        List<long> steps = [];
        List<double> walls = [], values = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var rowName = reader.GetString(0);
            if (rowName != name)
            {
                if (name is not null) series.Add(new MetricSeries(name, steps, walls, values));
                (name, steps, walls, values) = (rowName, [], [], []);
            }
            steps.Add(reader.GetInt64(1));
            walls.Add(reader.GetDouble(2));
            values.Add(reader.GetDouble(3));
        }
        if (name is not null) series.Add(new MetricSeries(name, steps, walls, values));
        return series;
    }

    public async Task<List<Checkpoint>> CheckpointsAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Checkpoints.AsNoTracking().Where(c => c.RunId == runId).OrderBy(c => c.EnvSteps).ToListAsync(cancellationToken);
    }

    public async Task<Checkpoint?> CheckpointAsync(long runId, long checkpointId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Checkpoints.AsNoTracking().SingleOrDefaultAsync(c => c.Id == checkpointId && c.RunId == runId, cancellationToken);
    }

    /// <summary>Runs with a final result, for scaling plots: one sweep's, one env's, or all.</summary>
    public async Task<List<Run>> FinishedRunsAsync(long? sweepId, string? env, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Runs.AsNoTracking().Where(r => r.FinalTimeAtGoal != null);
        if (sweepId is { } s) query = query.Where(r => r.SweepId == s);
        if (!string.IsNullOrEmpty(env)) query = query.Where(r => r.Env == env);
        return await query.OrderBy(r => r.Id).ToListAsync(cancellationToken);
    }

    public async Task<List<string>> EnvsWithResultsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.Where(r => r.FinalTimeAtGoal != null).Select(r => r.Env).Distinct().OrderBy(e => e).ToListAsync(cancellationToken);
    }

    public async Task<List<Run>> SweepRunsAsync(long sweepId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking().Where(r => r.SweepId == sweepId).OrderBy(r => r.Id).ToListAsync(cancellationToken);
    }

    /// <summary>The runs with these ids (those that exist), in id order.</summary>
    public async Task<List<Run>> RunsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id)).OrderBy(r => r.Id).ToListAsync(cancellationToken);
    }
}

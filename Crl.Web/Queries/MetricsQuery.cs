using Crl.Jobs.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crl.Web.Queries;

/// <summary>A metric's points in step order.</summary>
public sealed record MetricSeries(string Name, IReadOnlyList<long> Steps, IReadOnlyList<double> WallTimes, IReadOnlyList<double> Values);

/// <summary>A run's curves, for its page, the Compare page and the API.</summary>
public sealed class MetricsQuery(IDbContextFactory<ExperimentDb> dbFactory)
{
    /// <summary>
    /// Every metric of a run, each in step order: one index range scan read straight into arrays, since a run page
    /// loads tens of thousands of points and object materialisation would cost more than the scan.
    /// </summary>
    public async Task<List<MetricSeries>> SeriesAsync(long runId, CancellationToken cancellationToken = default)
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

    /// <summary>
    /// One metric of many runs (Compare's picked runs, or a whole sweep), each in step order, in one query: a
    /// query per run would cost a round trip each and read every other metric too. Runs without the metric are absent.
    /// </summary>
    public async Task<Dictionary<long, MetricSeries>> SeriesAsync(IReadOnlyCollection<long> runIds, string name, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = runIds.Distinct().ToList();
        var points = await db.MetricPoints.AsNoTracking()
            .Where(p => ids.Contains(p.RunId) && p.Name == name)
            .OrderBy(p => p.RunId).ThenBy(p => p.Step)
            .Select(p => new { p.RunId, p.Step, p.WallTime, p.Value })
            .ToListAsync(cancellationToken);
        return points.GroupBy(p => p.RunId).ToDictionary(g => g.Key,
            g => new MetricSeries(name, [.. g.Select(p => p.Step)], [.. g.Select(p => p.WallTime)], [.. g.Select(p => p.Value)]));
    }
}

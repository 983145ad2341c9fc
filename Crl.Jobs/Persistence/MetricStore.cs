using System.Data.Common;
using Crl.Jobs.Configuration;
using Crl.Jobs.Hosting;
using Crl.Jobs.Persistence.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Persistence;

/// <summary>
/// Metric points in bulk: one long-lived connection with a prepared INSERT, one transaction per batch. A DbContext
/// and its change tracker, or re-preparing the statement, would cost more than the inserts themselves for the ~25
/// points of one epoch's report. SQLite writes one transaction at a time anyway, so batches take turns.
/// </summary>
public sealed class MetricStore(IDbContextFactory<ExperimentDb> dbFactory, IOptions<CrlOptions> options) : IDisposable
{
    private readonly Lock gate = new();
    private SqliteConnection? connection;
    private SqliteCommand? insert;

    public void Append(IReadOnlyCollection<MetricPoint> points)
    {
        if (points.Count == 0) return;
        lock (gate)
        {
            var command = Insert();
            using var transaction = connection!.BeginTransaction();
            command.Transaction = transaction;
            var (run, name, step, wall, value) = (command.Parameters[0], command.Parameters[1], command.Parameters[2], command.Parameters[3], command.Parameters[4]);
            foreach (var point in points)
            {
                run.Value = point.RunId;
                name.Value = point.Name;
                step.Value = point.Step;
                wall.Value = point.WallTime;
                value.Value = point.Value;
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }

    /// <summary>Deletes a run's points logged after <paramref name="step"/> (all of them for −1): a resume redoes that work.</summary>
    public int DeleteAfter(long runId, long step)
    {
        using var db = dbFactory.CreateDbContext();
        return db.MetricPoints.Where(p => p.RunId == runId && p.Step > step).ExecuteDelete();
    }

    private SqliteCommand Insert()
    {
        if (insert is not null) return insert;
        connection = new SqliteConnection(CrlJobsExtensions.ResultsConnectionString(options.Value));
        connection.Open();
        SqlitePragmas.Apply(connection);
        insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO MetricPoints (RunId, Name, Step, WallTime, Value) VALUES (@run, @name, @step, @wall, @value)";
        foreach (var parameter in new[] { "@run", "@name", "@step", "@wall", "@value" }) insert.Parameters.Add(new SqliteParameter { ParameterName = parameter });
        return insert;
    }

    public void Dispose()
    {
        lock (gate)
        {
            insert?.Dispose();
            connection?.Dispose();
        }
    }
}

using System.Data;
using System.Data.Common;
using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Crl.Jobs.Persistence;

/// <summary>
/// Metric points in bulk over one long-lived connection. A DbContext's change tracker, or re-preparing a statement,
/// would cost more than the inserts themselves for the ~25 points of one epoch's report. On SQLite: a prepared
/// INSERT, one transaction per batch (SQLite writes one transaction at a time anyway, so batches take turns). On
/// PostgreSQL: one binary COPY per batch, a single round trip however many points.
/// </summary>
public sealed class MetricStore(IDbContextFactory<ExperimentDb> dbFactory) : IDisposable
{
    private const string Columns = "\"RunId\", \"Name\", \"Step\", \"WallTime\", \"Value\"";

    private readonly Lock gate = new();

    // Owns the connection: opening it through the context keeps the provider's own setup (SQLite's pragmas).
    private ExperimentDb? db;
    private DbCommand? insert;

    public void Append(IReadOnlyCollection<MetricPoint> points)
    {
        if (points.Count == 0) return;
        lock (gate)
        {
            try
            {
                if (Connection() is NpgsqlConnection postgres) Copy(postgres, points);
                else InsertPrepared(points);
            }
            catch
            {
                // A connection broken by a restarted or unreachable server is opened afresh by the next batch.
                Close();
                throw;
            }
        }
    }

    /// <summary>Deletes a run's points logged after <paramref name="step"/> (all of them for −1): a resume redoes that work.</summary>
    public int DeleteAfter(long runId, long step)
    {
        using var context = dbFactory.CreateDbContext();
        return context.MetricPoints.Where(p => p.RunId == runId && p.Step > step).ExecuteDelete();
    }

    private static void Copy(NpgsqlConnection connection, IReadOnlyCollection<MetricPoint> points)
    {
        using var writer = connection.BeginBinaryImport($"COPY \"MetricPoints\" ({Columns}) FROM STDIN (FORMAT BINARY)");
        foreach (var point in points)
        {
            writer.StartRow();
            writer.Write(point.RunId, NpgsqlDbType.Bigint);
            writer.Write(point.Name, NpgsqlDbType.Varchar);
            writer.Write(point.Step, NpgsqlDbType.Bigint);
            writer.Write(point.WallTime, NpgsqlDbType.Double);
            writer.Write(point.Value, NpgsqlDbType.Double);
        }
        writer.Complete();
    }

    private void InsertPrepared(IReadOnlyCollection<MetricPoint> points)
    {
        var command = insert ??= PrepareInsert(db!.Database.GetDbConnection());
        using var transaction = command.Connection!.BeginTransaction();
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

    private static DbCommand PrepareInsert(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO \"MetricPoints\" ({Columns}) VALUES (@run, @name, @step, @wall, @value)";
        foreach (var (parameter, type) in new[] { ("@run", DbType.Int64), ("@name", DbType.String), ("@step", DbType.Int64), ("@wall", DbType.Double), ("@value", DbType.Double) })
        {
            var p = command.CreateParameter();
            p.ParameterName = parameter;
            p.DbType = type;
            command.Parameters.Add(p);
        }
        command.Prepare();
        return command;
    }

    private DbConnection Connection()
    {
        if (db is null)
        {
            db = dbFactory.CreateDbContext();
            db.Database.OpenConnection();
        }
        return db.Database.GetDbConnection();
    }

    private void Close()
    {
        insert?.Dispose();
        insert = null;
        db?.Dispose();
        db = null;
    }

    public void Dispose()
    {
        lock (gate) Close();
    }
}

using System.Data.Common;
using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;

namespace Crl.Jobs.Persistence;

/// <summary>
/// Metric points in bulk: one prepared INSERT reused inside one transaction. EF's change tracker costs more than
/// the insert itself at these volumes (thousands of points per batch when a sweep's workers report together).
/// </summary>
public sealed class MetricStore(IDbContextFactory<ExperimentDb> dbFactory)
{
    public void Append(IReadOnlyCollection<MetricPoint> points)
    {
        if (points.Count == 0) return;
        using var db = dbFactory.CreateDbContext();
        var connection = db.Database.GetDbConnection();
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO MetricPoints (RunId, Name, Step, WallTime, Value) VALUES (@run, @name, @step, @wall, @value)";
        var run = Parameter(insert, "@run");
        var name = Parameter(insert, "@name");
        var step = Parameter(insert, "@step");
        var wall = Parameter(insert, "@wall");
        var value = Parameter(insert, "@value");
        insert.Prepare();
        foreach (var point in points)
        {
            run.Value = point.RunId;
            name.Value = point.Name;
            step.Value = point.Step;
            wall.Value = point.WallTime;
            value.Value = point.Value;
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>Deletes a run's points logged after <paramref name="step"/> (all of them for −1): a resume redoes that work.</summary>
    public int DeleteAfter(long runId, long step)
    {
        using var db = dbFactory.CreateDbContext();
        return db.MetricPoints.Where(p => p.RunId == runId && p.Step > step).ExecuteDelete();
    }

    private static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Crl.Jobs.Persistence;

/// <summary>
/// <c>synchronous = NORMAL</c> on every connection to the WAL-mode results database: a commit then waits for no
/// fsync (0.05 ms instead of 5 ms per commit on these machines), and a crashed or killed process still loses
/// nothing committed; only a power cut can drop the last commits. Metric ingestion depends on it.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    private const string Pragmas = "PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    public static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}

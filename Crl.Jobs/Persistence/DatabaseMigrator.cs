using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Hosting;

namespace Crl.Jobs.Persistence;

/// <summary>
/// Applies pending migrations when the host starts, before the job server fetches any job. The dashboard and its
/// workers may start together on one database: EF takes its migration lock and decides what is pending under it, so
/// no separate check comes first. EF itself logs each migration it applies, or that none was pending (category
/// <c>Microsoft.EntityFrameworkCore.Migrations</c>, at Information in appsettings.json).
/// </summary>
public sealed class DatabaseMigrator(IDbContextFactory<ExperimentDb> dbFactory) : IHostedService
{
    // PostgreSQL advisory locks are keyed by a number; any constant the dashboard and the workers share.
    const string LockHistoryTable = "SELECT pg_advisory_lock(18957313027)", UnlockHistoryTable = "SELECT pg_advisory_unlock(18957313027)";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (db is PostgresExperimentDb) await CreateHistoryTableAsync(db, cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>
    /// The PostgreSQL provider reads the migration history before it creates the history table and catches the error
    /// when the table is missing, which EF still logs as a failed command on every new database (npgsql/efcore.pg#3407).
    /// Creating the table first leaves it nothing to fail on. Under an advisory lock: two processes running
    /// <c>CREATE TABLE IF NOT EXISTS</c> at once can collide in PostgreSQL's catalog. A database that does not exist yet
    /// is left to EF, which creates it.
    /// </summary>
    private static async Task CreateHistoryTableAsync(ExperimentDb db, CancellationToken cancellationToken)
    {
        if (!await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken)) return;
        var script = db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync(LockHistoryTable, cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync(script, cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync(UnlockHistoryTable, CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Crl.Jobs.Configuration;
using Crl.Jobs.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Persistence;

/// <summary>
/// Contexts for the configured provider (<c>Crl:Database:Provider</c>): <see cref="ExperimentDb"/> on SQLite with
/// its pragmas, <see cref="PostgresExperimentDb"/> on PostgreSQL. The choice is made from the validated options
/// when the factory is first resolved, so the web server, workers and training processes all follow one setting.
/// </summary>
public sealed class ExperimentDbFactory : IDbContextFactory<ExperimentDb>
{
    private readonly Func<ExperimentDb> create;

    public ExperimentDbFactory(IOptions<CrlOptions> options, ILoggerFactory loggerFactory)
    {
        var settings = options.Value;
        var connectionString = CrlJobsExtensions.ResultsConnectionString(settings);
        if (settings.Database.IsPostgres)
        {
            var postgres = new DbContextOptionsBuilder<PostgresExperimentDb>().UseNpgsql(connectionString).UseLoggerFactory(loggerFactory).Options;
            create = () => new PostgresExperimentDb(postgres);
        }
        else
        {
            var sqlite = new DbContextOptionsBuilder<ExperimentDb>().UseSqlite(connectionString).AddInterceptors(SqlitePragmas.Instance).UseLoggerFactory(loggerFactory)
                // A column change on SQLite rebuilds the table, which must switch foreign keys off outside the
                // migration's transaction; EF warns of that on every fresh database, although it is how SQLite works.
                .ConfigureWarnings(warnings => warnings.Ignore(RelationalEventId.NonTransactionalMigrationOperationWarning))
                .Options;
            create = () => new ExperimentDb(sqlite);
        }
    }

    public ExperimentDb CreateDbContext() => create();
}

using Crl.Jobs.Configuration;
using Crl.Jobs.Hosting;
using Microsoft.EntityFrameworkCore;
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
            var sqlite = new DbContextOptionsBuilder<ExperimentDb>().UseSqlite(connectionString).AddInterceptors(SqlitePragmas.Instance).UseLoggerFactory(loggerFactory).Options;
            create = () => new ExperimentDb(sqlite);
        }
    }

    public ExperimentDb CreateDbContext() => create();
}

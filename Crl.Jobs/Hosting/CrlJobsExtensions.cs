using Crl.Jobs.Accounts;
using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence;
using Crl.Jobs.Resources;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Hosting;

/// <summary>Registration shared by the web server and the standalone worker.</summary>
public static class CrlJobsExtensions
{
    /// <summary>Binds and validates the <c>Crl</c> section; relative paths resolve against the content root.</summary>
    public static IServiceCollection AddCrlOptions(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<CrlOptions>()
            .Bind(configuration.GetSection(CrlOptions.Section))
            .PostConfigure(o => o.DataDirectory = string.IsNullOrWhiteSpace(o.DataDirectory)
                ? o.DataDirectory
                : Path.GetFullPath(o.DataDirectory, contentRoot))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CrlOptions>, CrlOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>The results database (EF Core on SQLite in the data directory, or on PostgreSQL), migrated at start-up.</summary>
    public static IServiceCollection AddCrlPersistence(this IServiceCollection services)
    {
        services.AddSingleton<IDbContextFactory<ExperimentDb>, ExperimentDbFactory>();
        services.AddHostedService<DatabaseMigrator>();
        services.AddSingleton<MetricStore>();
        services.AddSingleton<RunFiles>();
        return services;
    }

    /// <summary>Users, their passwords and personal tokens: shared by the web server and <c>Crl.Jobs users</c>.</summary>
    public static IServiceCollection AddCrlAccounts(this IServiceCollection services)
    {
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<UserAccounts>();
        services.AddSingleton<ApiTokens>();
        return services;
    }

    /// <summary>
    /// Hangfire on SQLite in the data directory (or on PostgreSQL), the services jobs need, and, when
    /// <paramref name="runWorker"/>, a job server with <c>Crl:Workers:Slots</c> workers on the training queue.
    /// </summary>
    public static IServiceCollection AddCrlJobs(this IServiceCollection services, bool runWorker)
    {
        services.AddSingleton<WorkerIdentity>();
        services.AddSingleton<RunLease>();
        services.AddTransient<RunQueue>();
        services.AddTransient<CheckpointEvaluations>();
        services.AddTransient<RunJob>();

        services.AddHangfire((sp, hangfire) =>
        {
            var options = sp.GetRequiredService<IOptions<CrlOptions>>().Value;
            hangfire
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            var invisibility = options.Hangfire.InvisibilityTimeoutFor(options.Database);
            if (options.Database.IsPostgres)
            {
                hangfire.UsePostgreSqlStorage(storage => storage.UseNpgsqlConnection(HangfireConnectionString(options)), new PostgreSqlStorageOptions
                {
                    SchemaName = HangfireOptions.PostgresSchema,
                    QueuePollInterval = options.Hangfire.QueuePollInterval,
                    InvisibilityTimeout = invisibility,
                    // Renewed while the job runs, so the timeout only bounds how long a dead worker's job stays hidden.
                    UseSlidingInvisibilityTimeout = true,
                    // Workers on several machines may start together on a fresh database; the loser of the schema
                    // race retries instead of failing start-up.
                    StartupConnectionMaxRetries = 5,
                });
            }
            else
            {
                hangfire.UseSQLiteStorage(HangfireDatabasePath(options), new SQLiteStorageOptions
                {
                    QueuePollInterval = options.Hangfire.QueuePollInterval,
                    InvisibilityTimeout = invisibility,
                    JournalMode = SQLiteStorageOptions.JournalModes.WAL,
                });
            }
        });

        if (runWorker)
        {
            services.AddHostedService<RunRecovery>();
            services.AddHostedService<RunDispatcher>();
            services.AddHostedService<WorkerReporter>();
            services.AddHangfireServer((sp, server) =>
            {
                var options = sp.GetRequiredService<IOptions<CrlOptions>>().Value;
                server.ServerName = sp.GetRequiredService<WorkerIdentity>().Name;
                server.WorkerCount = options.Workers.Slots;
                server.Queues = [RunQueue.TrainingQueue, "default"];
                // Beat as often as leases are renewed, so a dead worker's server is known dead within the lease
                // timeout too (JobServers); Hangfire's own default is 30 s.
                server.HeartbeatInterval = options.Workers.HeartbeatInterval;
            });
        }
        return services;
    }

    /// <summary>The configured connection string; on SQLite, empty means <c>crl.db</c> in the data directory.</summary>
    public static string ResultsConnectionString(CrlOptions options) =>
        string.IsNullOrWhiteSpace(options.Database.ConnectionString)
            ? $"Data Source={Path.Combine(options.DataDirectory, "crl.db")}"
            : options.Database.ConnectionString;

    /// <summary>PostgreSQL: Hangfire's own database if one is given, otherwise the results database (its tables in their own schema).</summary>
    public static string HangfireConnectionString(CrlOptions options) =>
        string.IsNullOrWhiteSpace(options.Hangfire.ConnectionString) ? ResultsConnectionString(options) : options.Hangfire.ConnectionString;

    // Absolute on purpose: a relative path would resolve against the working directory (stack.md).
    public static string HangfireDatabasePath(CrlOptions options) => Path.Combine(options.DataDirectory, "hangfire.db");
}

using Crl.Core.Training;
using Crl.Jobs.Sweeps;
using Crl.Jobs.Persistence.Model;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Crl.Jobs.Configuration;

/// <summary>
/// Checks the configuration before anything uses it, so that a bad value stops start-up with a message naming
/// the setting instead of failing later deep inside SQLite, PostgreSQL or Hangfire.
/// </summary>
public sealed class CrlOptionsValidator : IValidateOptions<CrlOptions>
{
    public ValidateOptionsResult Validate(string? name, CrlOptions options)
    {
        var failures = new List<string>();

        if (DataDirectory.TryPrepare(options.DataDirectory) is { } problem)
            failures.Add($"Crl:DataDirectory '{options.DataDirectory}' {problem}");

        ValidateDatabase(options, failures);

        if (options.Hangfire.QueuePollInterval <= TimeSpan.Zero || options.Hangfire.QueuePollInterval > TimeSpan.FromMinutes(5))
            failures.Add($"Crl:Hangfire:QueuePollInterval must be between 00:00:00.001 and 00:05:00; got {options.Hangfire.QueuePollInterval}");
        if (options.Hangfire.InvisibilityTimeout is { } invisibility && invisibility < TimeSpan.FromMinutes(1))
            failures.Add($"Crl:Hangfire:InvisibilityTimeout must be at least 00:01:00 (or empty for the provider's default); got {invisibility}");
        if (options.Workers.Slots is < 1 or > 64)
            failures.Add($"Crl:Workers:Slots must be in [1, 64]; got {options.Workers.Slots}");
        if (options.Workers.HeartbeatInterval < TimeSpan.FromMilliseconds(100) || options.Workers.HeartbeatInterval > TimeSpan.FromMinutes(10))
            failures.Add($"Crl:Workers:HeartbeatInterval must be between 00:00:00.1 and 00:10:00; got {options.Workers.HeartbeatInterval}");
        if (options.Workers.LeaseTimeout < 2 * options.Workers.HeartbeatInterval)
            failures.Add($"Crl:Workers:LeaseTimeout must be at least twice Crl:Workers:HeartbeatInterval ({2 * options.Workers.HeartbeatInterval}); got {options.Workers.LeaseTimeout}");
        if (options.Workers.StopGracePeriod < TimeSpan.Zero || options.Workers.StopGracePeriod > TimeSpan.FromMinutes(30))
            failures.Add($"Crl:Workers:StopGracePeriod must be between 00:00:00 and 00:30:00; got {options.Workers.StopGracePeriod}");
        if (options.Workers.TrainLogMaxBytes is < WorkerOptions.MinTrainLogMaxBytes or > WorkerOptions.MaxTrainLogMaxBytes)
            failures.Add($"Crl:Workers:TrainLogMaxBytes must be in [{WorkerOptions.MinTrainLogMaxBytes}, {WorkerOptions.MaxTrainLogMaxBytes}] (bytes); got {options.Workers.TrainLogMaxBytes}");
        // A worker's device and threads override the runs' knobs, so they take the values those knobs allow.
        var (device, threads) = (CrlKnobs.Get(nameof(CrlConfig.Device)), CrlKnobs.Get(nameof(CrlConfig.TorchThreads)));
        if (!device.Allows(options.Training.Device))
            failures.Add($"Crl:Training:Device must be {device.Allowed}; got '{options.Training.Device}'");
        if (!threads.Allows(options.Training.Threads))
            failures.Add($"Crl:Training:Threads must be {threads.Allowed} (0 = one per core); got {options.Training.Threads}");

        if (string.IsNullOrWhiteSpace(options.Auth.AdminUser) || options.Auth.AdminUser.Length > 64)
            failures.Add("Crl:Auth:AdminUser must be 1 to 64 characters");
        if (!string.IsNullOrEmpty(options.Auth.AdminPassword) && options.Auth.AdminPassword.Length < AuthOptions.MinPasswordLength)
            failures.Add($"Crl:Auth:AdminPassword must be at least {AuthOptions.MinPasswordLength} characters (or empty to generate one)");
        if (!string.IsNullOrEmpty(options.Auth.ApiToken) && options.Auth.ApiToken.Length < AuthOptions.MinApiTokenLength)
            failures.Add($"Crl:Auth:ApiToken must be at least {AuthOptions.MinApiTokenLength} characters (or empty to disable it)");
        if (!string.IsNullOrEmpty(options.Auth.ApiTokenRole) && !UserRoles.TryParse(options.Auth.ApiTokenRole, out _))
            failures.Add($"Crl:Auth:ApiTokenRole must be one of {UserRoles.Names} (or empty for member); got '{options.Auth.ApiTokenRole}'");
        if (options.Auth.LockoutFailures is < 1 or > 1000)
            failures.Add($"Crl:Auth:LockoutFailures must be in [1, 1000]; got {options.Auth.LockoutFailures}");
        if (options.Auth.LockoutDuration < TimeSpan.FromSeconds(1) || options.Auth.LockoutDuration > TimeSpan.FromDays(1))
            failures.Add($"Crl:Auth:LockoutDuration must be between 00:00:01 and 1.00:00:00; got {options.Auth.LockoutDuration}");
        if (options.Auth.SignInAttempts is < 1 or > 10000)
            failures.Add($"Crl:Auth:SignInAttempts must be in [1, 10000]; got {options.Auth.SignInAttempts}");
        if (options.Auth.SignInWindow < TimeSpan.FromSeconds(1) || options.Auth.SignInWindow > TimeSpan.FromHours(1))
            failures.Add($"Crl:Auth:SignInWindow must be between 00:00:01 and 01:00:00; got {options.Auth.SignInWindow}");

        var analysis = options.Analysis;
        if (analysis.BootstrapResamples is < AnalysisOptions.MinResamples or > AnalysisOptions.MaxResamples)
            failures.Add($"Crl:Analysis:BootstrapResamples must be in [{AnalysisOptions.MinResamples}, {AnalysisOptions.MaxResamples}]; got {analysis.BootstrapResamples}");
        if (!double.IsFinite(analysis.CriticalDepthThreshold) || analysis.CriticalDepthThreshold < 0)
            failures.Add($"Crl:Analysis:CriticalDepthThreshold must be a number ≥ 0 (time at goal, in steps); got {analysis.CriticalDepthThreshold}");
        ValidateLimits(options.Limits, failures);
        if (options.Http.MaxRequestBodyBytes is < 1024 or > 1L << 30)
            failures.Add($"Crl:Http:MaxRequestBodyBytes must be in [1024, {1L << 30}]; got {options.Http.MaxRequestBodyBytes}");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateLimits(LimitOptions limits, List<string> failures)
    {
        if (limits.MaxParametersPerNetwork < 1)
            failures.Add($"Crl:Limits:MaxParametersPerNetwork must be ≥ 1; got {limits.MaxParametersPerNetwork}");
        if (!(limits.MaxFlopsPerRun >= 1) || double.IsInfinity(limits.MaxFlopsPerRun))
            failures.Add($"Crl:Limits:MaxFlopsPerRun must be a finite number ≥ 1; got {limits.MaxFlopsPerRun}");
        if (!(limits.MaxFlopsPerSweep >= limits.MaxFlopsPerRun) || double.IsInfinity(limits.MaxFlopsPerSweep))
            failures.Add($"Crl:Limits:MaxFlopsPerSweep must be a finite number ≥ Crl:Limits:MaxFlopsPerRun ({limits.MaxFlopsPerRun:G3}); got {limits.MaxFlopsPerSweep}");
        if (limits.MaxEnvStepsPerRun < 1)
            failures.Add($"Crl:Limits:MaxEnvStepsPerRun must be ≥ 1; got {limits.MaxEnvStepsPerRun}");
        if (limits.MaxRunsPerSweep is < 1 or > SweepRequestValidator.MaxRuns)
            failures.Add($"Crl:Limits:MaxRunsPerSweep must be in [1, {SweepRequestValidator.MaxRuns}]; got {limits.MaxRunsPerSweep}");
        if (limits.MaxActiveRunsPerUser < 1)
            failures.Add($"Crl:Limits:MaxActiveRunsPerUser must be ≥ 1; got {limits.MaxActiveRunsPerUser}");
    }

    private static void ValidateDatabase(CrlOptions options, List<string> failures)
    {
        var database = options.Database;
        if (!DatabaseOptions.Providers.Contains(database.Provider, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"Crl:Database:Provider must be one of {string.Join(", ", DatabaseOptions.Providers)}; got '{database.Provider}'");
            return;
        }

        if (!database.IsPostgres)
        {
            if (!string.IsNullOrWhiteSpace(database.ConnectionString) && SqliteProblem(database.ConnectionString) is { } problem)
                failures.Add($"Crl:Database:ConnectionString {problem}");
            // Said out loud: a PostgreSQL queue next to SQLite results would split one deployment across two stores.
            if (!string.IsNullOrWhiteSpace(options.Hangfire.ConnectionString))
                failures.Add($"Crl:Hangfire:ConnectionString applies only when Crl:Database:Provider is {DatabaseOptions.Postgres} (SQLite keeps the queue in <DataDirectory>/hangfire.db)");
            return;
        }

        if (string.IsNullOrWhiteSpace(database.ConnectionString))
            failures.Add($"Crl:Database:ConnectionString is required when Crl:Database:Provider is {DatabaseOptions.Postgres} (for example 'Host=db.lan;Database=crl;Username=crl;Password=...')");
        else if (PostgresProblem(database.ConnectionString) is { } problem)
            failures.Add($"Crl:Database:ConnectionString {problem}");
        if (!string.IsNullOrWhiteSpace(options.Hangfire.ConnectionString) && PostgresProblem(options.Hangfire.ConnectionString) is { } hangfireProblem)
            failures.Add($"Crl:Hangfire:ConnectionString {hangfireProblem}");
    }

    private static string? SqliteProblem(string connectionString)
    {
        try
        {
            return string.IsNullOrWhiteSpace(new SqliteConnectionStringBuilder(connectionString).DataSource) ? "has no 'Data Source'" : null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            return $"is malformed: {e.Message}";
        }
    }

    private static string? PostgresProblem(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.Host)) return "has no 'Host' (a PostgreSQL connection string: 'Host=...;Database=...;Username=...')";
            if (string.IsNullOrWhiteSpace(builder.Database)) return "has no 'Database'";
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or InvalidCastException)
        {
            return $"is malformed: {e.Message}";
        }
    }
}

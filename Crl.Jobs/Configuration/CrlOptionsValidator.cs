using Crl.Core.Torch;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Configuration;

/// <summary>
/// Checks the configuration before anything uses it, so that a bad value stops start-up with a message naming
/// the setting instead of failing later deep inside SQLite or Hangfire.
/// </summary>
public sealed class CrlOptionsValidator : IValidateOptions<CrlOptions>
{
    public ValidateOptionsResult Validate(string? name, CrlOptions options)
    {
        var failures = new List<string>();

        if (DataDirectory.TryPrepare(options.DataDirectory) is { } problem)
            failures.Add($"Crl:DataDirectory '{options.DataDirectory}' {problem}");

        if (!string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            try
            {
                var builder = new SqliteConnectionStringBuilder(options.Database.ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.DataSource))
                    failures.Add("Crl:Database:ConnectionString has no 'Data Source'");
            }
            catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
            {
                failures.Add($"Crl:Database:ConnectionString is malformed: {e.Message}");
            }
        }

        if (options.Hangfire.QueuePollInterval <= TimeSpan.Zero || options.Hangfire.QueuePollInterval > TimeSpan.FromMinutes(5))
            failures.Add($"Crl:Hangfire:QueuePollInterval must be between 00:00:00.001 and 00:05:00; got {options.Hangfire.QueuePollInterval}");
        if (options.Hangfire.InvisibilityTimeout < TimeSpan.FromMinutes(1))
            failures.Add($"Crl:Hangfire:InvisibilityTimeout must be at least 00:01:00; got {options.Hangfire.InvisibilityTimeout}");
        if (options.Workers.Slots is < 1 or > 64)
            failures.Add($"Crl:Workers:Slots must be in [1, 64]; got {options.Workers.Slots}");
        if (options.Workers.HeartbeatInterval < TimeSpan.FromMilliseconds(100) || options.Workers.HeartbeatInterval > TimeSpan.FromMinutes(10))
            failures.Add($"Crl:Workers:HeartbeatInterval must be between 00:00:00.1 and 00:10:00; got {options.Workers.HeartbeatInterval}");
        if (options.Workers.LeaseTimeout < 2 * options.Workers.HeartbeatInterval)
            failures.Add($"Crl:Workers:LeaseTimeout must be at least twice Crl:Workers:HeartbeatInterval ({2 * options.Workers.HeartbeatInterval}); got {options.Workers.LeaseTimeout}");
        if (options.Workers.StopGracePeriod < TimeSpan.Zero || options.Workers.StopGracePeriod > TimeSpan.FromMinutes(30))
            failures.Add($"Crl:Workers:StopGracePeriod must be between 00:00:00 and 00:30:00; got {options.Workers.StopGracePeriod}");
        if (!TorchDevice.IsValidName(options.Training.Device))
            failures.Add($"Crl:Training:Device must be one of {string.Join(", ", TorchDevice.Names)}; got '{options.Training.Device}'");
        if (options.Training.Threads is < 0 or > 1024)
            failures.Add($"Crl:Training:Threads must be in [0, 1024] (0 = one per core); got {options.Training.Threads}");

        if (string.IsNullOrWhiteSpace(options.Auth.AdminUser) || options.Auth.AdminUser.Length > 64)
            failures.Add("Crl:Auth:AdminUser must be 1 to 64 characters");
        if (!string.IsNullOrEmpty(options.Auth.AdminPassword) && options.Auth.AdminPassword.Length < AuthOptions.MinPasswordLength)
            failures.Add($"Crl:Auth:AdminPassword must be at least {AuthOptions.MinPasswordLength} characters (or empty to generate one)");
        if (!string.IsNullOrEmpty(options.Auth.ApiToken) && options.Auth.ApiToken.Length < AuthOptions.MinApiTokenLength)
            failures.Add($"Crl:Auth:ApiToken must be at least {AuthOptions.MinApiTokenLength} characters (or empty to disable it)");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

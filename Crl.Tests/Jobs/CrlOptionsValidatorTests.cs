using Crl.Jobs.Configuration;
using Crl.Tests.Support;
using Xunit;

namespace Crl.Tests.Jobs;

public class CrlOptionsValidatorTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly CrlOptionsValidator validator = new();

    private CrlOptions Valid() => new() { DataDirectory = temp.Combine("data") };

    [Fact]
    public void Defaults_with_a_writable_directory_pass_and_the_directory_is_created()
    {
        var options = Valid();
        Assert.True(validator.Validate(null, options).Succeeded);
        Assert.True(Directory.Exists(options.DataDirectory));
    }

    [Fact]
    public void Bootstrap_resamples_and_the_critical_jump_out_of_range_are_named_with_their_range()
    {
        var options = Valid();
        options.Analysis.BootstrapResamples = 10;
        options.Analysis.CriticalDepthThreshold = -1;

        var failures = validator.Validate(null, options).Failures!.ToList();

        Assert.Contains("Crl:Analysis:BootstrapResamples must be in [100, 50000]; got 10", failures);
        Assert.Contains(failures, f => f.StartsWith("Crl:Analysis:CriticalDepthThreshold must be a number ≥ 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Sign_in_settings_out_of_range_are_named_with_their_range()
    {
        var options = Valid();
        options.Auth.ApiTokenRole = "owner";
        options.Auth.LockoutFailures = 0;
        options.Auth.LockoutDuration = TimeSpan.Zero;
        options.Auth.SignInAttempts = 0;

        var failures = validator.Validate(null, options).Failures!.ToList();

        Assert.Contains("Crl:Auth:ApiTokenRole must be one of viewer, member, admin (or empty for member); got 'owner'", failures);
        Assert.Contains("Crl:Auth:LockoutFailures must be in [1, 1000]; got 0", failures);
        Assert.Contains("Crl:Auth:LockoutDuration must be between 00:00:01 and 1.00:00:00; got 00:00:00", failures);
        Assert.Contains("Crl:Auth:SignInAttempts must be in [1, 10000]; got 0", failures);
    }

    [Fact]
    public void A_data_directory_that_cannot_be_created_is_named_with_the_reason()
    {
        var file = temp.Combine("a-file");
        File.WriteAllText(file, "not a directory");
        var options = Valid();
        options.DataDirectory = Path.Combine(file, "data");

        var result = validator.Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith($"Crl:DataDirectory '{options.DataDirectory}' is not a writable directory", failure);
    }

    [Theory]
    [InlineData("Data Source=x.db;Colour=blue", "Crl:Database:ConnectionString is malformed")]
    [InlineData("Mode=ReadOnly", "Crl:Database:ConnectionString has no 'Data Source'")]
    public void A_bad_connection_string_is_named(string connectionString, string expected)
    {
        var options = Valid();
        options.Database.ConnectionString = connectionString;
        Assert.StartsWith(expected, Assert.Single(validator.Validate(null, options).Failures!));
    }

    [Fact]
    public void An_unknown_provider_is_named_with_the_allowed_values()
    {
        var options = Valid();
        options.Database.Provider = "Oracle";
        Assert.Equal("Crl:Database:Provider must be one of Sqlite, Postgres; got 'Oracle'", Assert.Single(validator.Validate(null, options).Failures!));
    }

    [Fact]
    public void Postgres_without_a_connection_string_names_the_setting()
    {
        var options = Valid();
        options.Database.Provider = "postgres";
        Assert.StartsWith("Crl:Database:ConnectionString is required when Crl:Database:Provider is Postgres", Assert.Single(validator.Validate(null, options).Failures!));
    }

    [Theory]
    [InlineData("Data Source=x.db;Colour=blue", "Crl:Database:ConnectionString is malformed")]
    [InlineData("Database=crl;Username=crl", "Crl:Database:ConnectionString has no 'Host'")]
    [InlineData("Host=db.lan;Port=many", "Crl:Database:ConnectionString is malformed")]
    public void A_bad_postgres_connection_string_is_named(string connectionString, string expected)
    {
        var options = Valid();
        options.Database.Provider = DatabaseOptions.Postgres;
        options.Database.ConnectionString = connectionString;
        Assert.StartsWith(expected, Assert.Single(validator.Validate(null, options).Failures!));
    }

    [Fact]
    public void Postgres_with_a_connection_string_passes_and_a_separate_hangfire_database_is_checked_too()
    {
        var options = Valid();
        options.Database.Provider = DatabaseOptions.Postgres;
        options.Database.ConnectionString = "Host=db.lan;Database=crl;Username=crl;Password=secret";
        Assert.True(validator.Validate(null, options).Succeeded);

        options.Hangfire.ConnectionString = "Host=db.lan;Flavour=mint";
        Assert.StartsWith("Crl:Hangfire:ConnectionString is malformed", Assert.Single(validator.Validate(null, options).Failures!));
    }

    [Fact]
    public void A_hangfire_connection_string_with_sqlite_is_refused_rather_than_ignored()
    {
        var options = Valid();
        options.Hangfire.ConnectionString = "Host=db.lan;Database=hangfire";
        Assert.StartsWith("Crl:Hangfire:ConnectionString applies only when Crl:Database:Provider is Postgres", Assert.Single(validator.Validate(null, options).Failures!));
    }

    [Fact]
    public void Every_bad_field_is_reported_with_its_allowed_range()
    {
        var options = Valid();
        options.Workers.Slots = 0;
        options.Training.Device = "tpu";
        options.Training.Threads = -1;
        options.Hangfire.QueuePollInterval = TimeSpan.Zero;

        var failures = validator.Validate(null, options).Failures!.ToList();

        Assert.Equal(4, failures.Count);
        Assert.Contains("Crl:Workers:Slots must be in [1, 64]; got 0", failures);
        Assert.Contains("Crl:Training:Device must be one of auto, cpu, cuda; got 'tpu'", failures);
        Assert.Contains(failures, f => f.StartsWith("Crl:Training:Threads must be in [0, 1024]"));
        Assert.Contains(failures, f => f.StartsWith("Crl:Hangfire:QueuePollInterval must be between"));
    }

    public void Dispose() => temp.Dispose();
}

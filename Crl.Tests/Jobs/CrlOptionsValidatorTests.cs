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

using Crl.Tests.Support;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>Bad configuration stops the real server process with one line naming the setting, not a stack trace.</summary>
[Trait(Lanes.Trait, Lanes.Slow)]
public class StartupConfigurationTests : IDisposable
{
    private readonly TempDirectory temp = new();

    [Fact]
    public async Task An_unwritable_data_directory_stops_startup_naming_Crl_DataDirectory()
    {
        var file = temp.Combine("a-file");
        File.WriteAllText(file, "in the way");

        var (exitCode, stdout, stderr) = await RunDashboardAsync(("Crl__DataDirectory", Path.Combine(file, "data")));

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"Configuration error: Crl:DataDirectory '{Path.Combine(file, "data")}' is not a writable directory", line);
        Assert.DoesNotContain("   at ", stdout + stderr);
    }

    [Fact]
    public async Task A_malformed_connection_string_stops_startup_naming_the_setting()
    {
        var (exitCode, _, stderr) = await RunDashboardAsync(
            ("Crl__DataDirectory", temp.Combine("data")),
            ("Crl__Database__ConnectionString", "Data Source=x.db;Colour=blue"));

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Configuration error: Crl:Database:ConnectionString is malformed", line);
    }

    [Fact]
    public async Task An_unknown_database_provider_stops_startup_naming_the_setting_and_the_allowed_values()
    {
        var (exitCode, _, stderr) = await RunDashboardAsync(
            ("Crl__DataDirectory", temp.Combine("data")),
            ("Crl__Database__Provider", "Oracle"));

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("Configuration error: Crl:Database:Provider must be one of Sqlite, Postgres; got 'Oracle'", line);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunDashboardAsync(params (string Name, string Value)[] environment)
    {
        var settings = new Dictionary<string, string?> { ["Urls"] = "http://127.0.0.1:0" };
        foreach (var (name, value) in environment) settings[name] = value;
        using var dashboard = ChildProcess.StartDotnet("Crl.Web.dll", [], settings);
        var (exitCode, stdout, stderr) = await dashboard.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, stdout, stderr);
    }

    public void Dispose() => temp.Dispose();
}

using Microsoft.Extensions.Options;
using Npgsql;

namespace Crl.Jobs.Hosting;

/// <summary>
/// Turns a configuration error at start-up into one line naming the setting (and exit code 2) instead of a stack
/// trace. Used by the web server and the worker alike.
/// </summary>
public static class StartupFailure
{
    public const int ConfigurationErrorExitCode = 2;

    public static async Task<int> GuardAsync(Func<Task> run)
    {
        try
        {
            await run();
            return 0;
        }
        catch (Exception e) when (ValidationFailures(e) is { Count: > 0 } failures)
        {
            // Logging may not be set up yet, and this line is for the person at the terminal.
            await Console.Error.WriteLineAsync($"Configuration error: {string.Join("; ", failures)}");
            return ConfigurationErrorExitCode;
        }
        catch (Exception e) when (PostgresFailure(e) is { } failure)
        {
            await Console.Error.WriteLineAsync($"Database error: {failure.Message.ReplaceLineEndings(" ")}; check Crl:Database:ConnectionString (and Crl:Hangfire:ConnectionString if set)");
            return ConfigurationErrorExitCode;
        }
    }

    /// <summary>
    /// A PostgreSQL server that refuses or does not answer when the process starts: almost always a wrong host,
    /// port, password or database name, so it is reported like a bad setting.
    /// </summary>
    public static NpgsqlException? PostgresFailure(Exception e) => e switch
    {
        NpgsqlException n => n,
        AggregateException a => a.InnerExceptions.Select(PostgresFailure).FirstOrDefault(f => f is not null),
        { InnerException: { } inner } => PostgresFailure(inner),
        _ => null,
    };

    /// <summary>The host reports one failing options type as itself and several as an AggregateException.</summary>
    public static IReadOnlyList<string> ValidationFailures(Exception e) => e switch
    {
        OptionsValidationException v => v.Failures.ToList(),
        AggregateException a => a.InnerExceptions.SelectMany(ValidationFailures).ToList(),
        _ => [],
    };
}

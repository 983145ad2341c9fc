using Microsoft.Extensions.Options;

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
    }

    /// <summary>The host reports one failing options type as itself and several as an AggregateException.</summary>
    public static IReadOnlyList<string> ValidationFailures(Exception e) => e switch
    {
        OptionsValidationException v => v.Failures.ToList(),
        AggregateException a => a.InnerExceptions.SelectMany(ValidationFailures).ToList(),
        _ => [],
    };
}

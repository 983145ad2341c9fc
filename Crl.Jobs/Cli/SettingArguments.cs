using Crl.Jobs.Configuration;

namespace Crl.Jobs.Cli;

/// <summary>
/// Verbs that open the storage (<c>worker</c>, <c>users</c>) take any setting as <c>--Crl:Key=value</c> or
/// <c>--Crl:Key value</c>; such arguments go to the configuration, as they do for the web server.
/// </summary>
public static class SettingArguments
{
    /// <summary>The first argument that is not a setting, or null.</summary>
    public static string? FirstStray(IReadOnlyList<string> arguments)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (!argument.StartsWith($"--{CrlOptions.Section}:", StringComparison.OrdinalIgnoreCase)) return argument;
            if (argument.Contains('=')) continue;
            if (i + 1 == arguments.Count) return argument;
            i++; // its value
        }
        return null;
    }
}

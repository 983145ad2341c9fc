using System.Globalization;

namespace Crl.Core.Training;

/// <summary>
/// How an error message repeats a value the user sent: cut to its first <see cref="MaxCharacters"/> characters, with
/// control characters written as code points. A 10 MB value is not sent back, and a message stays one readable line.
/// </summary>
public static class Echo
{
    public const int MaxCharacters = 64;

    /// <summary>The value in single quotes, as messages write strings.</summary>
    public static string Quoted(string? value) => value is null ? "none" : Clipped(value, "'");

    /// <summary>The value as it is (a JSON literal, a number), only cut and escaped.</summary>
    public static string Clipped(string value, string quote = "")
    {
        var shown = value.Length <= MaxCharacters ? value : value[..MaxCharacters];
        if (shown.Any(char.IsControl))
            shown = string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
        return value.Length <= MaxCharacters
            ? $"{quote}{shown}{quote}"
            : $"{quote}{shown}…{quote} ({value.Length.ToString("N0", CultureInfo.InvariantCulture)} characters)";
    }
}

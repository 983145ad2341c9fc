namespace Crl.Jobs.Configuration;

/// <summary>
/// The folder holding the one appsettings.json (and the site's wwwroot): the repository root when running from
/// source, the publish folder when published. Found by walking up from the program's own folder, so it does not
/// depend on the working directory the program was started from.
/// </summary>
public static class ContentRoot
{
    public const string SettingsFile = "appsettings.json";

    public static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SettingsFile))) return dir.FullName;
        }
        throw new FileNotFoundException(
            $"{SettingsFile} was not found in {AppContext.BaseDirectory} or any folder above it; run from the repository or a published folder");
    }
}

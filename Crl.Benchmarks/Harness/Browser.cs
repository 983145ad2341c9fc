using Microsoft.Playwright;

namespace Crl.Benchmarks.Harness;

/// <summary>Debian's Chromium, headless, driven by Playwright (which downloads no browser of its own here).</summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Screenshots land here; CI keeps the folder as the run's artefacts.</summary>
    public static readonly string Artifacts = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "artifacts", "screenshots"));

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: run bash scripts/setup.sh (it installs Debian's chromium)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in CI needs --no-sandbox; the closed network refuses Chromium's background connections.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(Artifacts);
        return (playwright, browser);
    }

    /// <summary>Opens <paramref name="path"/>, which sends an anonymous visitor to the sign-in form, and signs in there.</summary>
    public static async Task SignInAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.FillAsync("input[name=UserName]", RunningDashboard.AdminUser);
        await page.FillAsync("input[name=Password]", RunningDashboard.AdminPassword);
        await page.ClickAsync("button[type=submit]");
    }
}

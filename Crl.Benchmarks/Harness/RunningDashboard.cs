using Crl.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Crl.Benchmarks.Harness;

/// <summary>
/// The real dashboard (Kestrel on a free loopback port, in-process Hangfire server, SQLite files) on a temporary
/// data directory. Hangfire keeps its storage in a process-wide static, so tests that boot one share one xunit
/// collection and never overlap.
/// </summary>
public sealed class RunningDashboard : IAsyncDisposable
{
    private readonly TempDirectory temp;

    private RunningDashboard(WebApplication app, TempDirectory temp, Uri address)
    {
        App = app;
        this.temp = temp;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public const string AdminUser = "admin";
    public const string AdminPassword = "correct horse battery";
    public const string ApiToken = "test-api-token-0123456789";

    public WebApplication App { get; }
    public Uri Address { get; }
    public HttpClient Http { get; }
    public string DataDirectory => temp.Combine("data");

    /// <summary>A client with its own cookie jar that signed in through the login form, as a browser does.</summary>
    public async Task<HttpClient> SignedInClientAsync(string user = AdminUser, string password = AdminPassword)
    {
        var client = NewBrowserClient();
        var response = await SubmitLoginAsync(client, user, password);
        if (response.Headers.Location?.OriginalString != "/")
            throw new InvalidOperationException($"sign-in as {user} failed: redirected to {response.Headers.Location}");
        return client;
    }

    /// <summary>A client that keeps cookies and does not follow redirects, so tests see where they point.</summary>
    public HttpClient NewBrowserClient() =>
        new(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Address };

    public static async Task<HttpResponseMessage> SubmitLoginAsync(HttpClient client, string user, string password)
    {
        var form = await client.GetStringAsync("/account/login");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["UserName"] = user,
            ["Password"] = password,
            ["ReturnUrl"] = "/",
        }));
    }

    public T Service<T>() where T : notnull => (T)App.Services.GetService(typeof(T))!;

    /// <param name="settings">Configuration that wins over the harness's own.</param>
    /// <param name="configure">Further changes to the builder (a test's log capture).</param>
    public static async Task<RunningDashboard> StartAsync(IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var temp = new TempDirectory("crl-dashboard");
        var overrides = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Crl:DataDirectory"] = temp.Combine("data"),
            ["Crl:Training:Device"] = "cpu",
            ["Logging:LogLevel:Default"] = "Warning",
            // A throwaway dashboard's unencrypted keys and its worker-less health are expected, not news.
            ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
            ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "Error",
            ["Crl:Auth:AdminUser"] = AdminUser,
            ["Crl:Auth:AdminPassword"] = AdminPassword,
            ["Crl:Auth:ApiToken"] = ApiToken,
            // Tests and benchmarks script everything, /hangfire included, with the one token.
            ["Crl:Auth:ApiTokenRole"] = "admin",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) overrides[key] = value;

        var app = CrlWebApplication.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(overrides);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningDashboard(app, temp, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        // Hangfire logs through a process-wide provider bound to this host's logger factory: once the host has
        // disposed it, a Hangfire storage opened later in this test process (the bUnit pages' own) would throw.
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        await App.StopAsync();
        await App.DisposeAsync();
        temp.Dispose();
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Crl.Jobs.Accounts;
using Crl.Jobs.Persistence.Model;
using Crl.Tests.Support;
using Crl.Web.Auth;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>
/// Sessions that end when they should, and sign-in that resists guessing: a cookie copied before an event is refused
/// after it; wrong passwords lock the account, many attempts from one address are answered 429, and every refusal is logged.
/// </summary>
[Collection(DashboardCollection.Name)]
public class SessionTests
{
    private const string Password = "password for session tests";

    [Fact]
    public async Task Each_session_ending_event_refuses_a_cookie_saved_before_it()
    {
        // Two sign-ins per event are more than the per-address limit allows in a minute.
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?> { ["Crl:Workers:InProcess"] = "false", ["Crl:Auth:SignInAttempts"] = "100" });
        var accounts = dashboard.Service<UserAccounts>();
        var events = new (string Name, Func<UserInfo, string, Task> Act)[]
        {
            ("sign-out", async (_, cookie) => Assert.Equal(HttpStatusCode.Redirect, (await SendAsync(dashboard, cookie, HttpMethod.Post, AccountEndpoints.LogoutPath)).StatusCode)),
            ("password change", (user, _) => accounts.ChangePasswordAsync(user.Id, Password, "a brand new password")),
            ("password reset", (user, _) => accounts.ResetPasswordAsync(user.Name)),
            ("role change", (user, _) => accounts.SetRoleAsync(user.Name, UserRole.Viewer)),
            ("disable", (user, _) => accounts.SetDisabledAsync(user.Name, true)),
            ("delete", (user, _) => accounts.DeleteAsync(user.Name)),
        };

        foreach (var (name, act) in events)
        {
            var user = await accounts.AddAsync($"user-{name.Replace(' ', '-')}", UserRole.Member, Password);
            var token = await dashboard.Service<ApiTokens>().CreateAsync(user.Id, "script");
            var acting = await SignInCookieAsync(dashboard, user.Name);
            var saved = await SignInCookieAsync(dashboard, user.Name); // another browser, or a copy
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(dashboard, saved, HttpMethod.Get, "/runs")).StatusCode);

            await act(user, acting);

            var page = await SendAsync(dashboard, saved, HttpMethod.Get, "/runs");
            Assert.True(page.StatusCode == HttpStatusCode.Redirect && page.Headers.Location!.AbsolutePath == AccountEndpoints.LoginPath,
                $"after {name} the saved cookie still opened /runs ({(int)page.StatusCode})");
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(dashboard, saved, HttpMethod.Get, "/api/runs")).StatusCode);

            // Disabling or deleting stops the user's tokens at once; the other events leave scripts running.
            var tokenAnswer = (await SendAsync(dashboard, null, HttpMethod.Get, "/api/runs", token.Secret)).StatusCode;
            Assert.Equal(name is "disable" or "delete" ? HttpStatusCode.Unauthorized : HttpStatusCode.OK, tokenAnswer);
        }
    }

    [Fact]
    public async Task Wrong_passwords_lock_the_account_for_the_configured_time_and_each_refusal_is_logged()
    {
        var log = new LogCapture();
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?>
        {
            ["Crl:Workers:InProcess"] = "false",
            ["Crl:Auth:LockoutFailures"] = "5",
            // Long enough that the locked attempts below fall inside it on a loaded two-core machine (each attempt
            // hashes a password), short enough to wait out.
            ["Crl:Auth:LockoutDuration"] = "00:00:06",
        }, log.AddTo);
        await dashboard.Service<UserAccounts>().AddAsync("lu", UserRole.Member, Password);
        using var browser = dashboard.NewBrowserClient();

        for (var i = 0; i < 5; i++)
            Assert.StartsWith("/account/login?error=1", (await RunningDashboard.SubmitLoginAsync(browser, "lu", $"guess {i}")).Headers.Location!.OriginalString);
        // Locked: the right password is refused too.
        Assert.StartsWith("/account/login?error=1", (await RunningDashboard.SubmitLoginAsync(browser, "lu", Password)).Headers.Location!.OriginalString);
        await RunningDashboard.SubmitLoginAsync(browser, "nobody-here", "guess");

        var failures = log.Lines.Where(l => l.Contains("Sign-in failed")).ToList();
        Assert.Equal(7, failures.Count);
        Assert.Equal(4, failures.Count(l => l.Contains("for lu from 127.0.0.1: wrong password")));
        Assert.Equal(2, failures.Count(l => l.Contains("for lu from 127.0.0.1: account locked until")));
        Assert.Contains(failures, l => l.Contains("for nobody-here from 127.0.0.1: no such user"));
        Assert.DoesNotContain(log.Lines, l => l.Contains("guess") || l.Contains(Password));

        await Task.Delay(TimeSpan.FromSeconds(6.2));
        Assert.Equal("/", (await RunningDashboard.SubmitLoginAsync(browser, "lu", Password)).Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Too_many_attempts_from_one_address_are_answered_429_with_retry_after()
    {
        var log = new LogCapture();
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?>
        {
            ["Crl:Workers:InProcess"] = "false",
            ["Crl:Auth:SignInAttempts"] = "3",
            ["Crl:Auth:SignInWindow"] = "00:01:00",
        }, log.AddTo);
        using var browser = dashboard.NewBrowserClient();

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Redirect, (await RunningDashboard.SubmitLoginAsync(browser, "admin", "wrong")).StatusCode);
        var refused = await RunningDashboard.SubmitLoginAsync(browser, RunningDashboard.AdminUser, RunningDashboard.AdminPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Contains("try again in", await refused.Content.ReadAsStringAsync());
        Assert.Contains(log.Lines, l => l.Contains("Sign-in refused from 127.0.0.1: too many attempts"));
    }

    [Fact]
    public async Task An_unknown_user_costs_as_much_as_a_wrong_password()
    {
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?>
        {
            ["Crl:Workers:InProcess"] = "false",
            ["Crl:Auth:LockoutFailures"] = "1000",
        });
        var accounts = dashboard.Service<UserAccounts>();
        await accounts.SignInAsync("warm-up", "x"); // the placeholder hash is made on first use

        async Task<double> MedianMs(string name)
        {
            var times = new List<double>();
            for (var i = 0; i < 7; i++)
            {
                var watch = Stopwatch.StartNew();
                Assert.Null((await accounts.SignInAsync(name, "not the password")).User);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            return times.Order().ElementAt(3);
        }

        var (wrong, unknown) = (await MedianMs(RunningDashboard.AdminUser), await MedianMs("no-such-user"));
        // Before the placeholder hash: ~130 ms against ~8 ms. Both now pay one PBKDF2 hash.
        Assert.True(unknown > 0.5 * wrong, $"unknown user {unknown:F1} ms, wrong password {wrong:F1} ms");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_generated_first_password_is_only_in_a_file_only_its_owner_reads()
    {
        var log = new LogCapture();
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?> { ["Crl:Auth:AdminPassword"] = "", ["Crl:Workers:InProcess"] = "false" }, log.AddTo);

        var file = Path.Combine(dashboard.DataDirectory, AdminAccount.InitialPasswordFile);
        var password = (await File.ReadAllTextAsync(file)).Trim();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Contains(log.Lines, l => l.Contains(file));
        Assert.DoesNotContain(log.Lines, l => l.Contains(password));
    }

    /// <summary>Signs in through the form and returns the cookies a browser would now send.</summary>
    private static async Task<string> SignInCookieAsync(RunningDashboard dashboard, string user)
    {
        var jar = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = dashboard.Address };
        var response = await RunningDashboard.SubmitLoginAsync(client, user, Password);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        return jar.GetCookieHeader(dashboard.Address);
    }

    /// <summary>A request carrying exactly the cookies (or token) given, as a copied cookie would be sent.</summary>
    private static async Task<HttpResponseMessage> SendAsync(RunningDashboard dashboard, string? cookie, HttpMethod method, string path, string? bearer = null)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = dashboard.Address };
        using var request = new HttpRequestMessage(method, path);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await client.SendAsync(request);
    }
}

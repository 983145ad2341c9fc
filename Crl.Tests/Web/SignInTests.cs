using System.Net;
using System.Net.Http.Headers;
using Crl.Jobs.Persistence;
using Crl.Tests.Support;
using Crl.Jobs.Accounts;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>Pages, /hangfire and the API need a signed-in user or the API token; health stays open for probes.</summary>
[Collection(DashboardCollection.Name)]
public class SignInTests
{
    [Fact]
    public async Task Anonymous_requests_are_sent_to_sign_in_or_refused()
    {
        await using var dashboard = await RunningDashboard.StartAsync();
        using var anonymous = dashboard.NewBrowserClient();

        foreach (var path in new[] { "/", "/runs", "/workers", "/hangfire" })
        {
            var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith($"{dashboard.Address}account/login?ReturnUrl=", response.Headers.Location!.AbsoluteUri);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/account/login")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_signs_nobody_in_and_the_right_one_opens_the_pages()
    {
        await using var dashboard = await RunningDashboard.StartAsync();
        using var browser = dashboard.NewBrowserClient();

        var wrong = await RunningDashboard.SubmitLoginAsync(browser, RunningDashboard.AdminUser, "not the password");
        Assert.StartsWith("/account/login?error=1", wrong.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/runs")).StatusCode);

        var right = await RunningDashboard.SubmitLoginAsync(browser, RunningDashboard.AdminUser, RunningDashboard.AdminPassword);
        Assert.Equal("/", right.Headers.Location!.OriginalString);
        var runs = await browser.GetAsync("/runs");
        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        Assert.Contains(RunningDashboard.AdminUser, await runs.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_configured_api_token_is_accepted_as_a_bearer_token_and_others_are_refused()
    {
        await using var dashboard = await RunningDashboard.StartAsync();
        using var script = dashboard.NewBrowserClient();

        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-token-0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/hangfire")).StatusCode);

        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RunningDashboard.ApiToken);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task A_personal_token_acts_as_its_user_until_it_is_revoked()
    {
        await using var dashboard = await RunningDashboard.StartAsync();
        var tokens = dashboard.Service<ApiTokens>();
        var admin = await dashboard.Service<IDbContextFactory<ExperimentDb>>().CreateDbContext().Users.SingleAsync(u => u.Name == RunningDashboard.AdminUser);
        var created = await tokens.CreateAsync(admin.Id, "laptop");
        using var script = dashboard.NewBrowserClient();

        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Secret);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/runs")).StatusCode);
        var listed = Assert.Single(await tokens.ListAsync(admin.Id));
        Assert.NotNull(listed.LastUsedAt);
        Assert.StartsWith(listed.Prefix, created.Secret);

        // One character off is another token.
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Secret[..^1] + (created.Secret[^1] == 'A' ? 'B' : 'A'));
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/runs")).StatusCode);

        Assert.True(await tokens.RevokeAsync(admin.Id, created.Info.Id));
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/runs")).StatusCode);
    }

    [Fact]
    public async Task Without_a_configured_password_a_generated_one_is_written_to_the_data_directory_and_works()
    {
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?> { ["Crl:Auth:AdminPassword"] = "" });

        var password = (await File.ReadAllTextAsync(Path.Combine(dashboard.DataDirectory, "initial-admin-password"))).Trim();
        Assert.True(password.Length >= 12);
        using var browser = await dashboard.SignedInClientAsync(RunningDashboard.AdminUser, password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/runs")).StatusCode);
    }
}

using System.Security.Claims;
using Bunit;
using Crl.Jobs.Persistence.Model;
using Crl.Tests.Support;
using Crl.Jobs.Accounts;
using Crl.Web.Auth;
using Crl.Web.Components.Pages;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>The account page creates a personal token, shows its secret once, and revokes it.</summary>
public class ApiTokensPageTests : PageTestBase
{
    private long userId;

    protected override async Task SeedAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var user = new User { Name = "ada", PasswordHash = "unused", SecurityStamp = "unused", CreatedAt = DateTime.UtcNow };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        userId = user.Id;
        Context.Services.AddSingleton(new ApiTokens(DbFactory, TimeProvider.System));
        Auth.SetAuthorized("ada").SetClaims(new Claim(ClaimTypes.NameIdentifier, userId.ToString()));
    }

    [Fact]
    public async Task Creating_shows_the_secret_once_and_the_token_authenticates_until_revoked()
    {
        var page = Context.Render<ApiTokensPage>();
        var tokens = Context.Services.GetRequiredService<ApiTokens>();

        page.Find("[data-testid=create-token]").Click();
        Assert.Contains("1 to 100 characters", page.Markup);
        Assert.Empty(await tokens.ListAsync(userId));

        page.Find("input[data-testid=token-name]").Input("cluster sweeps");
        page.Find("[data-testid=create-token]").Click();
        var secret = page.WaitForElement("[data-testid=new-token-secret]").TextContent;
        Assert.StartsWith(ApiTokens.SecretPrefix, secret);
        Assert.Equal("ada", (await tokens.AuthenticateAsync(secret))?.Name);
        var row = page.Find("[data-testid=tokens] tbody tr");
        Assert.Contains("cluster sweeps", row.TextContent);
        Assert.DoesNotContain(secret, row.TextContent);

        // A fresh visit lists the token without its secret.
        var again = Context.Render<ApiTokensPage>();
        Assert.DoesNotContain(secret, again.Markup);
        Assert.Contains(secret[..10], again.Markup);

        var id = Assert.Single(await tokens.ListAsync(userId)).Id;
        page.Find($"[data-testid=revoke-{id}]").Click();
        page.WaitForAssertion(() => Assert.Contains("No tokens yet", page.Markup));
        Assert.Null(await tokens.AuthenticateAsync(secret));
    }
}

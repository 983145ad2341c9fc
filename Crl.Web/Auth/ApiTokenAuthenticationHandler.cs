using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Crl.Jobs.Accounts;
using Crl.Jobs.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Crl.Web.Auth;

/// <summary>
/// Scripts authenticate with <c>Authorization: Bearer &lt;token&gt;</c>: a personal token from the account page, which
/// acts as its user with that user's role (until the user is disabled or deleted), or the one set by
/// <c>Crl:Auth:ApiToken</c> (for automation that belongs to nobody), which acts with <c>Crl:Auth:ApiTokenRole</c>.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<CrlOptions> crlOptions,
    ApiTokens personalTokens) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();

        var presented = header[BearerPrefix.Length..].Trim();
        var configured = crlOptions.Value.Auth.ApiToken;
        if (!string.IsNullOrEmpty(configured) && SameSecret(presented, configured))
        {
            return AuthenticateResult.Success(new AuthenticationTicket(UserPrincipal.ForAutomation(crlOptions.Value.Auth.ApiTokenRoleOrDefault, SchemeName), SchemeName));
        }
        if (await personalTokens.AuthenticateAsync(presented, Context.RequestAborted) is { } user)
            return AuthenticateResult.Success(new AuthenticationTicket(UserPrincipal.For(user, SchemeName), SchemeName));
        return AuthenticateResult.Fail("invalid API token");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    // Hashing first gives equal lengths, so the comparison time says nothing about the token.
    private static bool SameSecret(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}

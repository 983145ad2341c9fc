using Crl.Jobs.Accounts;
using Crl.Jobs.Configuration;
using Crl.Jobs.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace Crl.Web.Auth;

/// <summary>Every page, the API and /hangfire need a signed-in user (cookie) or an API token (Bearer); roles decide the rest.</summary>
public static class CrlAuthExtensions
{
    private const string CookieOrToken = "CookieOrToken";

    public static IServiceCollection AddCrlAuth(this IServiceCollection services)
    {
        services.AddCrlAccounts();
        services.AddHostedService<AdminAccount>();
        services.AddSignInRateLimit();
        // Open pages (Blazor circuits) outlive the request that checked their cookie; this re-checks them.
        services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();

        // Cookies must survive restarts: keep the signing keys in the data directory, not in the user's home.
        services.AddDataProtection().SetApplicationName("Crl");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<CrlOptions>, ILoggerFactory>((keys, crl, loggers) =>
            keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(crl.Value.DataDirectory, "keys")), loggers));

        services.AddAuthentication(CookieOrToken)
            .AddPolicyScheme(CookieOrToken, "Cookie or API token", policy => policy.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith(ApiTokenAuthenticationHandler.BearerPrefix, StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = AccountEndpoints.LoginPath;
                cookie.Cookie.Name = "crl.auth";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.ExpireTimeSpan = TimeSpan.FromDays(14);
                cookie.SlidingExpiration = true;
                // Checked on every request (one indexed read): a sign-out, a new password or role, or a disabled or
                // deleted user ends the session at its next request, whichever process made the change.
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    var principal = context.Principal!;
                    var accounts = context.HttpContext.RequestServices.GetRequiredService<UserAccounts>();
                    if (principal.UserId() is { } id && await accounts.IsSessionCurrentAsync(id, principal.FindFirst(UserPrincipal.StampClaim)?.Value, context.HttpContext.RequestAborted))
                        return;
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                };
                // Scripts get status codes, not a login page.
                cookie.Events.OnRedirectToLogin = context =>
                {
                    if (context.Request.Path.StartsWithSegments("/api")) context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    else context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                };
                // There is no "access denied" page: the answer names the role needed.
                cookie.Events.OnRedirectToAccessDenied = context =>
                    TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                        detail: Permissions.CannotAdminister(context.HttpContext.User, "This page") ?? "This page needs another role").ExecuteAsync(context.HttpContext);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddCascadingAuthenticationState();
        return services;
    }
}

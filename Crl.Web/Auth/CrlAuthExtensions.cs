using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence.Model;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Crl.Web.Auth;

/// <summary>Every page, the API and /hangfire need a signed-in user (cookie) or the API token (Bearer).</summary>
public static class CrlAuthExtensions
{
    private const string CookieOrToken = "CookieOrToken";

    public static IServiceCollection AddCrlAuth(this IServiceCollection services)
    {
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddHostedService<AdminAccount>();
        services.AddSingleton<ApiTokens>();

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
                // Scripts get status codes, not a login page.
                cookie.Events.OnRedirectToLogin = context =>
                {
                    if (context.Request.Path.StartsWithSegments("/api")) context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    else context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                };
            })
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddCascadingAuthenticationState();
        return services;
    }
}

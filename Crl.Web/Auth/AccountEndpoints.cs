using System.Globalization;
using System.Threading.RateLimiting;
using Crl.Jobs.Accounts;
using Crl.Jobs.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Crl.Web.Auth;

/// <summary>Cookie sign-in and sign-out; the form lives in the static Login page.</summary>
public static class AccountEndpoints
{
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";
    public const string SignInRateLimit = "sign-in";

    public sealed record LoginForm(string? UserName, string? Password, string? ReturnUrl);

    /// <summary>
    /// At most <c>Crl:Auth:SignInAttempts</c> sign-ins per client address per <c>Crl:Auth:SignInWindow</c>: the lockout
    /// guards one account, this guards against trying many. Refusals are 429 with <c>Retry-After</c>.
    /// </summary>
    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(SignInRateLimit, http =>
            {
                var auth = http.RequestServices.GetRequiredService<IOptions<CrlOptions>>().Value.Auth;
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = auth.SignInAttempts,
                    Window = auth.SignInWindow,
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccountEndpoints))
                    .LogWarning("Sign-in refused from {Address}: too many attempts from this address (retry after {Seconds} s)", http.Connection.RemoteIpAddress, seconds);
                await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many sign-in attempts",
                    detail: $"Too many sign-in attempts from your address; try again in {seconds} s").ExecuteAsync(http);
            };
        });

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(LoginPath, SignInAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimit);
        endpoints.MapPost(LogoutPath, async (HttpContext http, UserAccounts accounts) =>
        {
            // Every session of the user ends, not only this browser's: a cookie copied elsewhere stops working too.
            if (http.User.UserId() is { } id) await accounts.EndSessionsAsync(id, http.RequestAborted);
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect(LoginPath);
        });
        return endpoints;
    }

    private static async Task<IResult> SignInAsync([FromForm] LoginForm form, HttpContext http, UserAccounts accounts, ILoggerFactory loggers)
    {
        var returnUrl = IsLocal(form.ReturnUrl) ? form.ReturnUrl! : "/";
        var outcome = await accounts.SignInAsync(form.UserName, form.Password, http.RequestAborted);
        if (outcome.User is not { } user)
        {
            // The name as typed (cut short: it is the client's text), the address and why; never the password.
            var name = form.UserName is { Length: > UserAccounts.MaxNameLength } typed ? typed[..UserAccounts.MaxNameLength] + "…" : form.UserName;
            loggers.CreateLogger(typeof(AccountEndpoints)).LogWarning("Sign-in failed for {UserName} from {Address}: {Reason}",
                name, http.Connection.RemoteIpAddress, Reason(outcome));
            return Results.LocalRedirect($"{LoginPath}?error=1&returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, UserPrincipal.For(user, CookieAuthenticationDefaults.AuthenticationScheme),
            new AuthenticationProperties { IsPersistent = true });
        return Results.LocalRedirect(returnUrl);
    }

    private static string Reason(SignInOutcome outcome) => outcome.Failure switch
    {
        SignInFailure.UnknownUser => "no such user",
        SignInFailure.WrongPassword => "wrong password",
        SignInFailure.LockedOut => $"account locked until {outcome.LockedUntil:u}",
        SignInFailure.Disabled => "account disabled",
        _ => "refused",
    };

    // Only paths on this site: an open redirect would let a link send users elsewhere after signing in.
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}

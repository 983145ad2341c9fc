using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Crl.Web.Auth;

/// <summary>Cookie sign-in and sign-out; the form lives in the static Login page.</summary>
public static class AccountEndpoints
{
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";

    public sealed record LoginForm(string? UserName, string? Password, string? ReturnUrl);

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(LoginPath, SignInAsync).AllowAnonymous();
        endpoints.MapPost(LogoutPath, async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect(LoginPath);
        });
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(
        [FromForm] LoginForm form, HttpContext http, IDbContextFactory<ExperimentDb> dbFactory, IPasswordHasher<User> hasher)
    {
        var returnUrl = IsLocal(form.ReturnUrl) ? form.ReturnUrl! : "/";
        await using var db = await dbFactory.CreateDbContextAsync(http.RequestAborted);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Name == form.UserName, http.RequestAborted);
        if (user is null || string.IsNullOrEmpty(form.Password)
            || hasher.VerifyHashedPassword(user, user.PasswordHash, form.Password) == PasswordVerificationResult.Failed)
        {
            return Results.LocalRedirect($"{LoginPath}?error=1&returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, UserPrincipal.For(user, CookieAuthenticationDefaults.AuthenticationScheme),
            new AuthenticationProperties { IsPersistent = true });
        return Results.LocalRedirect(returnUrl);
    }

    // Only paths on this site: an open redirect would let a link send users elsewhere after signing in.
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}

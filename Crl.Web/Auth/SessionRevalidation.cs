using Crl.Jobs.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Crl.Web.Auth;

/// <summary>
/// An open page keeps its circuit, and the sign-in it started with, long after the cookie was checked. Once a
/// minute this asks whether the session still stands; when it does not, the page loses its user and the layout
/// sends the browser to the sign-in form.
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggerFactory, UserAccounts accounts) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        // The automation token carries no user; it can only open a page through a request it authenticated itself.
        if (state.User.UserId() is not { } id) return true;
        try
        {
            return await accounts.IsSessionCurrentAsync(id, state.User.FindFirst(UserPrincipal.StampClaim)?.Value, cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            // The server is stopping and has disposed its services; the circuit ends with it, so there is no one
            // left to sign out.
            return true;
        }
    }
}

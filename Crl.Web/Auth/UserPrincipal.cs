using System.Globalization;
using System.Security.Claims;
using Crl.Jobs.Persistence.Model;

namespace Crl.Web.Auth;

/// <summary>The claims a signed-in user carries, whether they came with a cookie or a personal API token.</summary>
public static class UserPrincipal
{
    public const string AdminRole = "admin";

    public static ClaimsPrincipal For(User user, string authenticationScheme)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.Name, user.Name),
            new(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
        ];
        if (user.IsAdmin) claims.Add(new Claim(ClaimTypes.Role, AdminRole));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationScheme));
    }

    /// <summary>The database id of the user, or null for the configured token, which belongs to no user.</summary>
    public static long? UserId(this ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}

using System.Globalization;
using System.Security.Claims;
using Crl.Jobs.Persistence.Model;

namespace Crl.Web.Auth;

/// <summary>The claims a signed-in user carries, whether they came with a cookie or a personal API token.</summary>
public static class UserPrincipal
{
    /// <summary>The user's security stamp when the cookie was issued; the cookie stands only while the user's row still has it.</summary>
    public const string StampClaim = "crl:stamp";

    public static ClaimsPrincipal For(User user, string authenticationScheme) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, user.Name),
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Role, user.Role.Name()),
            new Claim(StampClaim, user.SecurityStamp),
        ], authenticationScheme));

    /// <summary>The configured automation token: no user, the role <c>Crl:Auth:ApiTokenRole</c> gives it.</summary>
    public static ClaimsPrincipal ForAutomation(UserRole role, string authenticationScheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-token"), new Claim(ClaimTypes.Role, role.Name())], authenticationScheme));

    /// <summary>The database id of the user, or null for the configured token, which belongs to no user.</summary>
    public static long? UserId(this ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The role the principal acts with, or null when nobody is signed in.</summary>
    public static UserRole? Role(this ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true && UserRoles.TryParse(principal.FindFirstValue(ClaimTypes.Role), out var role) ? role : null;
}

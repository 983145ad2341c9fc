using System.Security.Claims;
using Crl.Jobs.Persistence.Model;

namespace Crl.Web.Auth;

/// <summary>Who owns a sweep (and its runs): a user, the automation token (no id) or a user since deleted.</summary>
public sealed record Owner(long? Id, string Name);

/// <summary>
/// What each role may do, answered as the reason it may not (null when it may): the API sends the reason as its
/// 403 problem details and the pages show it on the disabled button, so both say the same thing.
/// </summary>
public static class Permissions
{
    public static string? CannotLaunch(ClaimsPrincipal user) => user.Role() switch
    {
        UserRole.Member or UserRole.Admin => null,
        var role => $"Launching a sweep needs the member or admin role; {Who(role)}",
    };

    /// <summary>Cancel, retry and fill: an admin anyone's, a member their own (the automation token what it launched).</summary>
    public static string? CannotChange(ClaimsPrincipal user, Owner owner, string what) => user.Role() switch
    {
        UserRole.Admin => null,
        UserRole.Member when owner.Id == user.UserId() => null,
        UserRole.Member => $"Changing {what} needs the admin role: it belongs to {owner.Name}, and members change only their own sweeps",
        var role => $"Changing {what} needs the member role (for your own sweeps) or admin; {Who(role)}",
    };

    /// <summary>The users page and the job queue (<c>/hangfire</c>).</summary>
    public static string? CannotAdminister(ClaimsPrincipal user, string what = "This") => user.Role() switch
    {
        UserRole.Admin => null,
        var role => $"{what} needs the admin role; {Who(role)}",
    };

    private static string Who(UserRole? role) => role is { } r ? $"you are {(r == UserRole.Admin ? "an" : "a")} {r.Name()}" : "you are not signed in";
}

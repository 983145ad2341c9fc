namespace Crl.Jobs.Persistence.Model;

/// <summary>
/// What a person may do, each role including the one before it: a viewer reads everything, a member also launches
/// sweeps and changes their own, an admin changes anyone's, manages users and opens the job queue.
/// </summary>
public enum UserRole
{
    Viewer,
    Member,
    Admin,
}

public static class UserRoles
{
    public static readonly IReadOnlyList<UserRole> All = Enum.GetValues<UserRole>();

    /// <summary>The name people type and see (<c>admin</c>, <c>member</c>, <c>viewer</c>); also the stored value and the role claim.</summary>
    public static string Name(this UserRole role) => role.ToString().ToLowerInvariant();

    public static string Names => string.Join(", ", All.Select(Name));

    public static bool TryParse(string? text, out UserRole role) =>
        Enum.TryParse(text, ignoreCase: true, out role) && Enum.IsDefined(role) && !int.TryParse(text, out _);
}

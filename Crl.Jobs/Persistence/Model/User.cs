namespace Crl.Jobs.Persistence.Model;

/// <summary>A person who signs in to the dashboard.</summary>
public sealed class User
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>ASP.NET Core Identity's PBKDF2 format.</summary>
    public required string PasswordHash { get; set; }

    public UserRole Role { get; set; } = UserRole.Member;

    /// <summary>A disabled user cannot sign in, and neither their sessions nor their tokens are accepted.</summary>
    public bool IsDisabled { get; set; }

    /// <summary>
    /// Copied into each sign-in cookie and compared on every request: changing it (sign-out, a new password, a new
    /// role) ends every session the user has, on every machine.
    /// </summary>
    public required string SecurityStamp { get; set; }

    /// <summary>Wrong passwords since the last successful sign-in or lockout.</summary>
    public int FailedSignIns { get; set; }

    /// <summary>Sign-in is refused until then, whatever the password.</summary>
    public DateTime? LockedUntil { get; set; }

    public DateTime CreatedAt { get; set; }
}

namespace Crl.Jobs.Persistence.Model;

/// <summary>A person who signs in to the dashboard.</summary>
public sealed class User
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>ASP.NET Core Identity's PBKDF2 format.</summary>
    public required string PasswordHash { get; set; }

    public bool IsAdmin { get; set; }
    public DateTime CreatedAt { get; set; }
}

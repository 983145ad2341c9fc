namespace Crl.Jobs.Persistence.Model;

/// <summary>
/// A personal token a script presents as <c>Authorization: Bearer …</c>; it acts as its user. Only the SHA-256 of
/// the token is kept: the token itself is shown once, when it is created.
/// </summary>
public sealed class ApiToken
{
    public long Id { get; set; }
    public long UserId { get; set; }

    /// <summary>What the user called it ("cluster sweeps", "laptop").</summary>
    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public required string Hash { get; set; }

    /// <summary>The token's first characters, so a user can tell tokens apart without the secret.</summary>
    public required string Prefix { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}

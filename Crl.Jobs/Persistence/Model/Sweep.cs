namespace Crl.Jobs.Persistence.Model;

/// <summary>A user's unit of work: a grid over env × actor depth × critic depth × width × batch size × seed.</summary>
public sealed class Sweep
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The sweep as the user submitted it (grid axes and fixed settings), as JSON; fill re-expands it.</summary>
    public required string SpecJson { get; set; }

    /// <summary>
    /// The user who launched it; its runs are theirs too. Null for the configured automation token (and sweeps older
    /// than users). Not a foreign key: a deleted user's sweeps stay theirs, so only an admin changes them.
    /// </summary>
    public long? OwnerId { get; set; }

    public DateTime CreatedAt { get; set; }
    public List<Run> Runs { get; set; } = [];
}

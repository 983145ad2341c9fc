namespace Crl.Jobs.Persistence.Model;

/// <summary>A user's unit of work: a grid of runs launched together.</summary>
public sealed class Sweep
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The sweep as the user submitted it (grid axes and fixed settings), as JSON.</summary>
    public required string SpecJson { get; set; }

    public DateTime CreatedAt { get; set; }
    public List<Run> Runs { get; set; } = [];
}

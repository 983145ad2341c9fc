namespace Crl.Jobs.Persistence.Model;

/// <summary>A checkpoint kept for download: one archive under the data directory, named by the database, never by a request.</summary>
public sealed class Checkpoint
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public int Epoch { get; set; }
    public long EnvSteps { get; set; }

    /// <summary>Path relative to the data directory.</summary>
    public required string RelativePath { get; set; }

    public long SizeBytes { get; set; }
    public required string Sha256 { get; set; }

    /// <summary>Time at goal of the evaluation just before the checkpoint.</summary>
    public double? TimeAtGoal { get; set; }

    public DateTime CreatedAt { get; set; }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Crl.Core.Training;

namespace Crl.Jobs.Runs;

/// <summary>A run's latest evaluation drawn over its maze, with where the run stood when it was taken.</summary>
public sealed record StoredTrajectories(int Epoch, long EnvSteps, EvalTrajectories Trajectories);

/// <summary>
/// <c>trajectories.json</c> in a run's directory (or beside the CLI's metrics.csv): only the latest evaluation, so it
/// is replaced, not appended to. No database row: the file is small, rewritten every epoch and only drawn.
/// </summary>
public static class TrajectoryFile
{
    public const string FileName = "trajectories.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // A diverging MuJoCo simulation can report NaN positions; the file must still be written and read.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes a temporary file beside <paramref name="path"/> and renames it over the old one, so readers see
    /// the previous evaluation or this one, never half of one.</summary>
    public static void Write(string path, StoredTrajectories trajectories)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = File.Create(temporary)) JsonSerializer.Serialize(stream, trajectories, Json);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The stored evaluation, or null when none was written.</summary>
    public static async Task<StoredTrajectories?> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) return null;
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<StoredTrajectories>(stream, Json, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null; // deleted between the check and the open (a restarted run dropping it)
        }
    }

    /// <summary>
    /// A resumed run drops what was logged after its checkpoint; an evaluation stored after <paramref name="envSteps"/>
    /// goes too, so the drawing never shows an evaluation the curves no longer have (−1: any stored evaluation).
    /// </summary>
    public static void DropAfter(string path, long envSteps)
    {
        if (!File.Exists(path)) return;
        StoredTrajectories? stored;
        try
        {
            using var stream = File.OpenRead(path);
            stored = JsonSerializer.Deserialize<StoredTrajectories>(stream, Json);
        }
        catch (JsonException)
        {
            stored = null; // unreadable: nothing worth keeping
        }
        if (stored is null || stored.EnvSteps > envSteps) File.Delete(path);
    }
}

using Crl.Jobs.Configuration;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Runs;

/// <summary>Where a run's files live under the data directory: <c>runs/&lt;id&gt;/checkpoints/...</c>, <c>runs/&lt;id&gt;/trajectories.json</c>, <c>runs/&lt;id&gt;/train.log</c>.</summary>
public sealed class RunFiles(IOptions<CrlOptions> options)
{
    public string DataDirectory => options.Value.DataDirectory;

    public string RunDirectory(long runId) => Path.Combine(DataDirectory, "runs", runId.ToString());

    public string CheckpointRoot(long runId) => Path.Combine(RunDirectory(runId), "checkpoints");

    /// <summary>The latest evaluation's paths over the maze (maze tasks only).</summary>
    public string Trajectories(long runId) => Path.Combine(RunDirectory(runId), TrajectoryFile.FileName);

    /// <summary>The training processes' standard output and error (<see cref="Runs.TrainLog"/>).</summary>
    public string TrainLog(long runId) => Path.Combine(RunDirectory(runId), "train.log");

    /// <summary>The resumable checkpoint, overwritten after every epoch.</summary>
    public string LatestCheckpoint(long runId) => Path.Combine(CheckpointRoot(runId), Crl.Core.Training.CheckpointSchedule.Latest);

    public string Relative(string path) => Path.GetRelativePath(DataDirectory, path);

    /// <summary>Resolves a path the database holds; refuses anything that would leave the data directory.</summary>
    public string Resolve(string relativePath)
    {
        var full = Path.GetFullPath(relativePath, DataDirectory);
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(DataDirectory)) + Path.DirectorySeparatorChar;
        return full.StartsWith(root, StringComparison.Ordinal)
            ? full
            : throw new InvalidOperationException($"'{relativePath}' is outside the data directory");
    }
}

using Crl.Core.Training;
using Crl.Jobs.Runs;
using Crl.Tests.Support;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary><c>trajectories.json</c> on a real file: what is written reads back point for point, and resumes forget later evaluations.</summary>
public class TrajectoryFileTests
{
    private static StoredTrajectories At(long envSteps) => new(3, envSteps, new EvalTrajectories("point_u_maze_eval", "u", 4, ["#####", "#...#", "###.#", "#...#", "#####"], 1, 1,
        [new EvalPath(12, 4, true, [4.05f, 4.1f, float.NaN], [3.95f, 4.2f, 4.3f]), new EvalPath(12, 12, false, [4f], [4f])]));

    [Fact]
    public async Task Reads_back_every_point_including_a_diverged_one()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("runs", "7", TrajectoryFile.FileName);

        TrajectoryFile.Write(path, At(2000));
        var read = (await TrajectoryFile.ReadAsync(path))!;

        Assert.Equal((3, 2000L, "u", 4.0), (read.Epoch, read.EnvSteps, read.Trajectories.Maze, read.Trajectories.CellSize));
        Assert.Equal(At(0).Trajectories.Walls, read.Trajectories.Walls);
        Assert.Equal([4.05f, 4.1f, float.NaN], read.Trajectories.Paths[0].X);
        Assert.Equal([true, false], read.Trajectories.Paths.Select(p => p.Success));
        Assert.Equal([TrajectoryFile.FileName], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        Assert.Null(await TrajectoryFile.ReadAsync(temp.Combine("runs", "8", TrajectoryFile.FileName)));
    }

    [Fact]
    public async Task A_resume_forgets_an_evaluation_stored_after_its_checkpoint_and_keeps_the_checkpoints_own()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine(TrajectoryFile.FileName);

        TrajectoryFile.Write(path, At(2000));
        TrajectoryFile.DropAfter(path, 2000);
        Assert.Equal(2000, (await TrajectoryFile.ReadAsync(path))!.EnvSteps);

        TrajectoryFile.DropAfter(path, 1999);
        Assert.False(File.Exists(path));
    }
}

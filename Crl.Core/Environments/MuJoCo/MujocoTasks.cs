using Crl.Core.Environments.Mazes;
using Crl.Core.Environments.MuJoCo.Models;
using Crl.Core.Environments.MuJoCo.Tasks;

namespace Crl.Core.Environments.MuJoCo;

/// <summary>
/// The paper's MuJoCo tasks under the ids of its code (environments.md §1), with the <c>_eval</c> goal sets of §5.4.
/// When MuJoCo is unusable every entry is still listed, unavailable, with the reason (which names the install command).
/// </summary>
public static class MujocoTasks
{
    /// <summary>
    /// The humanoid's <c>big_maze_eval</c> has one more goal than the ant's, at cell (2, 5) (§5.2); it is derived from
    /// the shared ant layout so the two cannot drift apart anywhere else.
    /// </summary>
    public static readonly MazeLayout HumanoidBigEval = WithGoalAt(MazeLayouts.BigEval, "humanoid_big_eval", 2, 5);

    private delegate MujocoVectorEnv Build(MujocoLibrary library, int numEnvs, int episodeLength, AutoResetMode mode, int workerThreads);

    private sealed record Task(EnvSpec Spec, Build Build);

    /// <summary>The ids, in the order they are listed.</summary>
    public static IEnumerable<string> Ids => Tasks(EnvRegistry.PaperEpisodeLength).Select(t => t.Spec.Id);

    /// <summary>Registry entries; their environments step on one worker per core.</summary>
    public static IReadOnlyList<EnvEntry> Entries(MujocoAvailability mujoco, int episodeLength) =>
        [.. Tasks(episodeLength).Select(t => new EnvEntry(t.Spec, mujoco.Available, mujoco.Reason,
            (n, length, mode) => t.Build(mujoco.Library!, n, length, mode, Environment.ProcessorCount)))];

    /// <summary>Shapes of task <paramref name="id"/> at the paper's episode length, without building it.</summary>
    public static EnvSpec SpecOf(string id) => Find(id, EnvRegistry.PaperEpisodeLength).Spec;

    /// <summary>Build task <paramref name="id"/> with a chosen number of worker threads.</summary>
    public static MujocoVectorEnv Create(MujocoLibrary library, string id, int numEnvs, int episodeLength,
        AutoResetMode mode = AutoResetMode.FirstState, int workerThreads = 0)
    {
        var task = Find(id, episodeLength);
        return task.Build(library, numEnvs, episodeLength, mode, workerThreads > 0 ? workerThreads : Environment.ProcessorCount);
    }

    private static Task Find(string id, int episodeLength) =>
        Tasks(episodeLength).FirstOrDefault(t => t.Spec.Id == id)
        ?? throw new ArgumentException($"unknown MuJoCo task '{id}'; known: {string.Join(", ", Ids)}", nameof(id));

    private static IEnumerable<Task> Tasks(int episodeLength)
    {
        yield return new(AntTask.SpecFor("ant", null, null, episodeLength),
            (lib, n, length, mode, threads) => new AntTask(lib, "ant", null, null, n, length, mode, threads));
        Task AntMaze(string id, MazeLayout layout, MazeLayout goals) => new(AntTask.SpecFor(id, layout, goals, episodeLength),
            (lib, n, length, mode, threads) => new AntTask(lib, id, layout, goals, n, length, mode, threads));
        yield return AntMaze("ant_big_maze", MazeLayouts.Big, MazeLayouts.Big);
        yield return AntMaze("ant_big_maze_eval", MazeLayouts.Big, MazeLayouts.BigEval);
        yield return AntMaze("ant_u4_maze", MazeLayouts.U4, MazeLayouts.U4);
        yield return AntMaze("ant_u4_maze_eval", MazeLayouts.U4, MazeLayouts.U4Eval);
        yield return AntMaze("ant_u5_maze", MazeLayouts.U5, MazeLayouts.U5);
        yield return AntMaze("ant_u5_maze_eval", MazeLayouts.U5, MazeLayouts.U5Eval);
        // No eval layout exists for the hardest maze (§5.4): evaluation uses ant_hardest_maze itself.
        yield return AntMaze("ant_hardest_maze", MazeLayouts.Hardest, MazeLayouts.Hardest);

        yield return new(HumanoidTask.SpecFor("humanoid", null, null, episodeLength),
            (lib, n, length, mode, threads) => new HumanoidTask(lib, "humanoid", null, null, n, length, mode, threads));
        Task HumanoidMaze(string id, MazeLayout layout, MazeLayout goals) => new(HumanoidTask.SpecFor(id, layout, goals, episodeLength),
            (lib, n, length, mode, threads) => new HumanoidTask(lib, id, layout, goals, n, length, mode, threads));
        yield return HumanoidMaze("humanoid_u_maze", MazeLayouts.U, MazeLayouts.U);
        yield return HumanoidMaze("humanoid_u_maze_eval", MazeLayouts.U, MazeLayouts.UEval);
        yield return HumanoidMaze("humanoid_big_maze", MazeLayouts.Big, MazeLayouts.Big);
        yield return HumanoidMaze("humanoid_big_maze_eval", MazeLayouts.Big, HumanoidBigEval);

        Task Arm(string id, ArmScene scene) => new(ArmTask.SpecFor(id, scene, episodeLength),
            (lib, n, length, mode, threads) => new ArmTask(lib, id, scene, n, length, mode, threads));
        yield return Arm("arm_push_easy", ArmScene.PushEasy);
        yield return Arm("arm_push_hard", ArmScene.PushHard);
        yield return Arm("arm_binpick_hard", ArmScene.BinpickHard);
    }

    private static MazeLayout WithGoalAt(MazeLayout layout, string name, int row, int column)
    {
        var rows = layout.Drawing.ToArray();
        var cells = rows[row].ToCharArray();
        cells[column] = 'G';
        rows[row] = new string(cells);
        return new MazeLayout(name, rows);
    }
}

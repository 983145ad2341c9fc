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

    public static IReadOnlyList<EnvEntry> Entries(MujocoAvailability mujoco, int episodeLength)
    {
        var entries = new List<EnvEntry>();
        void Add(EnvSpec spec, Func<MujocoLibrary, int, int, AutoResetMode, IVectorEnv> create) =>
            entries.Add(new EnvEntry(spec, mujoco.Available, mujoco.Reason, (n, length, mode) => create(mujoco.Library!, n, length, mode)));

        Add(AntTask.SpecFor("ant", null, null, episodeLength), (lib, n, length, mode) => new AntTask(lib, "ant", null, null, n, length, mode));
        void AntMaze(string id, MazeLayout layout, MazeLayout goals) =>
            Add(AntTask.SpecFor(id, layout, goals, episodeLength), (lib, n, length, mode) => new AntTask(lib, id, layout, goals, n, length, mode));
        AntMaze("ant_big_maze", MazeLayouts.Big, MazeLayouts.Big);
        AntMaze("ant_big_maze_eval", MazeLayouts.Big, MazeLayouts.BigEval);
        AntMaze("ant_u4_maze", MazeLayouts.U4, MazeLayouts.U4);
        AntMaze("ant_u4_maze_eval", MazeLayouts.U4, MazeLayouts.U4Eval);
        AntMaze("ant_u5_maze", MazeLayouts.U5, MazeLayouts.U5);
        AntMaze("ant_u5_maze_eval", MazeLayouts.U5, MazeLayouts.U5Eval);
        // No eval layout exists for the hardest maze (§5.4): evaluation uses ant_hardest_maze itself.
        AntMaze("ant_hardest_maze", MazeLayouts.Hardest, MazeLayouts.Hardest);

        Add(HumanoidTask.SpecFor("humanoid", null, null, episodeLength), (lib, n, length, mode) => new HumanoidTask(lib, "humanoid", null, null, n, length, mode));
        void HumanoidMaze(string id, MazeLayout layout, MazeLayout goals) =>
            Add(HumanoidTask.SpecFor(id, layout, goals, episodeLength), (lib, n, length, mode) => new HumanoidTask(lib, id, layout, goals, n, length, mode));
        HumanoidMaze("humanoid_u_maze", MazeLayouts.U, MazeLayouts.U);
        HumanoidMaze("humanoid_u_maze_eval", MazeLayouts.U, MazeLayouts.UEval);
        HumanoidMaze("humanoid_big_maze", MazeLayouts.Big, MazeLayouts.Big);
        HumanoidMaze("humanoid_big_maze_eval", MazeLayouts.Big, HumanoidBigEval);

        void Arm(string id, ArmScene scene) =>
            Add(ArmTask.SpecFor(id, scene, episodeLength), (lib, n, length, mode) => new ArmTask(lib, id, scene, n, length, mode));
        Arm("arm_push_easy", ArmScene.PushEasy);
        Arm("arm_push_hard", ArmScene.PushHard);
        Arm("arm_binpick_hard", ArmScene.BinpickHard);
        return entries;
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

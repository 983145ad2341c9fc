using Crl.Core.Environments.Mazes;
using Crl.Core.Environments.MuJoCo;

namespace Crl.Core.Environments;

/// <summary>One task the trainer can build.</summary>
/// <param name="Spec">Shapes at the paper's episode length (1000 steps for every task, environments.md §1).</param>
/// <param name="Available">Whether it can be built on this machine.</param>
/// <param name="Reason">Why not, when it cannot.</param>
public sealed record EnvEntry(EnvSpec Spec, bool Available, string Reason, Func<int, int, AutoResetMode, IVectorEnv> Factory)
{
    public IVectorEnv Create(int numEnvs, int episodeLength, AutoResetMode resetMode = AutoResetMode.FirstState) =>
        Available ? Factory(numEnvs, episodeLength, resetMode) : throw new InvalidOperationException($"environment '{Spec.Id}' is not available: {Reason}");
}

/// <summary>The tasks built in this repository, by id. MuJoCo tasks join through the same <see cref="IVectorEnv"/>.</summary>
public static class EnvRegistry
{
    public const int PaperEpisodeLength = 1000;

    public static IReadOnlyList<EnvEntry> All { get; } = Build(MujocoLibrary.Shared);

    public static IEnumerable<string> Ids => All.Select(e => e.Spec.Id);

    public static EnvEntry Get(string id) =>
        All.FirstOrDefault(e => e.Spec.Id == id)
        ?? throw new ArgumentException($"unknown environment '{id}'; known: {string.Join(", ", Ids)}", nameof(id));

    public static bool TryGet(string id, out EnvEntry entry)
    {
        entry = All.FirstOrDefault(e => e.Spec.Id == id)!;
        return entry is not null;
    }

    public static IVectorEnv Create(string id, int numEnvs, int episodeLength, AutoResetMode resetMode = AutoResetMode.FirstState) =>
        Get(id).Create(numEnvs, episodeLength, resetMode);

    /// <summary>Every task; the MuJoCo ones are listed unavailable (with the reason) when <paramref name="mujoco"/> is.</summary>
    internal static List<EnvEntry> Build(MujocoAvailability mujoco)
    {
        var entries = new List<EnvEntry>();
        void Maze(string name, MazeLayout layout, MazeLayout evalGoals)
        {
            foreach (var (id, goals) in new[] { ($"point_{name}_maze", layout), ($"point_{name}_maze_eval", evalGoals) })
                entries.Add(new EnvEntry(PointMaze.SpecFor(id, layout, goals, PaperEpisodeLength), true, "",
                    (n, length, mode) => new PointMaze(id, layout, goals, n, length, mode)));
        }
        Maze("u", MazeLayouts.U, MazeLayouts.UEval);
        Maze("u4", MazeLayouts.U4, MazeLayouts.U4Eval);
        Maze("u5", MazeLayouts.U5, MazeLayouts.U5Eval);
        Maze("big", MazeLayouts.Big, MazeLayouts.BigEval);
        // Hardest has no eval layout in the paper's code; its "_eval" evaluates on the training goals (environments.md §5.4).
        Maze("hardest", MazeLayouts.Hardest, MazeLayouts.Hardest);
        entries.Add(new EnvEntry(Reacher.SpecFor(PaperEpisodeLength), true, "",
            (n, length, mode) => new Reacher(n, length, mode)));
        entries.AddRange(MujocoTasks.Entries(mujoco, PaperEpisodeLength));
        return entries;
    }
}

using Crl.Core.Environments;
using Crl.Core.Training;
using Crl.Jobs.Sweeps;

namespace Crl.Web.Analysis;

/// <summary>
/// The paper's numbers (Wang et al. 2025) that the dashboard overlays, always labelled as the paper's: its runs used
/// JAX/MJX physics and budgets of 100M–400M env steps, so they are a reference, never data in our statistics.
/// Time at goal against depth at width 256, batch 512 is read from Figure 1 (algorithm.md §6.2; mean of the last 5 epochs); hours per
/// run are its Table 3; each task's env-step budget is the one Figure 1 trained it for.
/// </summary>
public static class PaperReference
{
    public const int Width = 256, BatchSize = 512;

    public static IReadOnlyList<int> Depths { get; } = [4, 8, 16, 32, 64];

    private sealed record TaskFigures(long EnvSteps, double[] TimeAtGoal, double[] Hours);

    private static readonly Dictionary<string, TaskFigures> Tasks = new()
    {
        ["humanoid"] = new(100_000_000, [12.5, 101, 522, 639, 650], [1.48, 2.13, 3.40, 5.92, 10.99]),
        ["ant_big_maze"] = new(100_000_000, [61, 320, 424, 439, 441], [2.12, 2.77, 4.04, 6.57, 11.66]),
        ["ant_u4_maze"] = new(100_000_000, [12, 107, 138, 238, 286], [1.98, 2.54, 3.81, 6.35, 11.43]),
        ["ant_u5_maze"] = new(400_000_000, [0, 14, 19, 110, 98], [9.46, 10.99, 16.09, 31.49, 46.40]),
        ["ant_hardest_maze"] = new(200_000_000, [213, 306, 389, 393, 389], [5.11, 6.39, 8.94, 13.97, 23.96]),
        ["arm_push_easy"] = new(100_000_000, [308, 669, 805, 848, 762], [9.97, 11.02, 12.20, 14.94, 19.52]),
        ["arm_push_hard"] = new(100_000_000, [171, 312, 419, 456, 410], [9.74, 10.55, 11.98, 14.40, 18.53]),
        ["arm_binpick_hard"] = new(100_000_000, [38, 66, 151, 221, 219], [18.41, 17.48, 19.47, 21.91, 29.64]),
        ["humanoid_u_maze"] = new(400_000_000, [3.3, 8.8, 7.3, 12.5, 164], [8.72, 11.29, 16.36, 26.48, 46.74]),
        ["humanoid_big_maze"] = new(400_000_000, [0, 0.7, 27, 26, 60], [12.45, 15.02, 20.34, 30.61, 50.33]),
    };

    /// <summary>The paper's task an environment id stands for: an <c>_eval</c> variant shares its task's numbers.</summary>
    public static string Task(string env) => env.EndsWith("_eval", StringComparison.Ordinal) ? env[..^5] : env;

    /// <summary>The paper's final time at goal for a task and depth (width 256, batch 512), or null when it has none.</summary>
    public static double? TimeAtGoal(string env, int depth)
    {
        int i = IndexOf(depth);
        return i >= 0 && Tasks.TryGetValue(Task(env), out var figures) ? figures.TimeAtGoal[i] : null;
    }

    /// <summary>The reference line for a task against depth, or null when the paper has none.</summary>
    public static ScalingLine? ForDepth(string env)
    {
        var task = Task(env);
        return Tasks.TryGetValue(task, out var figures)
            ? new ScalingLine($"paper: {task} (width 256, batch 512)", [.. Depths.Zip(figures.TimeAtGoal, (d, v) => new ScalingPoint(d, v, 0, 0))], ScalingLineKind.Paper)
            : null;
    }

    /// <summary>
    /// The paper's depths against compute for a task: its training FLOPs and parameters by our cost model on its
    /// configuration (width 256, batch 512, its budget, our defaults otherwise), or its measured hours on its GPU.
    /// Null for grid axes, tasks the paper did not train or this build does not have.
    /// </summary>
    public static ScalingLine? ForCompute(string env, ScalingAxis axis)
    {
        var task = Task(env);
        if (!axis.IsCompute() || !Tasks.TryGetValue(task, out var figures) || !EnvRegistry.TryGet(task, out _)) return null;
        var points = Depths.Select((depth, i) =>
        {
            var config = new CrlConfig { Env = task, ActorDepth = depth, CriticDepth = depth, ActorWidth = Width, CriticWidth = Width, BatchSize = BatchSize, TotalEnvSteps = figures.EnvSteps };
            double x = axis switch
            {
                ScalingAxis.TrainingFlops => TrainingCost.Of(config).TotalFlops,
                ScalingAxis.Parameters => SweepPlanner.SizesOf(config).Total,
                _ => figures.Hours[i],
            };
            return new ScalingPoint(x, figures.TimeAtGoal[i], 0, 0, $"depth {depth}");
        }).OrderBy(p => p.X).ToList();
        var unit = axis == ScalingAxis.WallClockHours ? "hours on its GPU" : "our cost model on its config";
        return new ScalingLine($"paper: {task} (width 256, batch 512, {figures.EnvSteps / 1_000_000}M env steps, MJX physics; {unit})", points, ScalingLineKind.Paper);
    }

    private static int IndexOf(int depth)
    {
        for (int i = 0; i < Depths.Count; i++) if (Depths[i] == depth) return i;
        return -1;
    }
}

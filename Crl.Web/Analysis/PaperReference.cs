namespace Crl.Web.Analysis;

/// <summary>
/// The paper's time at goal against depth (width 256, batch 512; algorithm.md §6.2, read from Figure 1, mean of the last 5
/// epochs), to overlay on a scaling plot of the same task.
/// </summary>
public static class PaperReference
{
    private static readonly int[] Depths = [4, 8, 16, 32, 64];

    private static readonly Dictionary<string, double[]> TimeAtGoalByDepth = new()
    {
        ["humanoid"] = [12.5, 101, 522, 639, 650],
        ["ant_big_maze"] = [61, 320, 424, 439, 441],
        ["ant_u4_maze"] = [12, 107, 138, 238, 286],
        ["ant_u5_maze"] = [0, 14, 19, 110, 98],
        ["ant_hardest_maze"] = [213, 306, 389, 393, 389],
        ["arm_push_easy"] = [308, 669, 805, 848, 762],
        ["arm_push_hard"] = [171, 312, 419, 456, 410],
        ["arm_binpick_hard"] = [38, 66, 151, 221, 219],
        ["humanoid_u_maze"] = [3.3, 8.8, 7.3, 12.5, 164],
        ["humanoid_big_maze"] = [0, 0.7, 27, 26, 60],
    };

    /// <summary>The reference line for a task (its <c>_eval</c> variant shares it), or null when the paper has none.</summary>
    public static ScalingLine? ForDepth(string env)
    {
        var task = env.EndsWith("_eval", StringComparison.Ordinal) ? env[..^5] : env;
        return TimeAtGoalByDepth.TryGetValue(task, out var values)
            ? new ScalingLine($"paper: {task} (width 256, batch 512)", [.. Depths.Zip(values, (d, v) => new ScalingPoint(d, v, 0, 0))])
            : null;
    }
}

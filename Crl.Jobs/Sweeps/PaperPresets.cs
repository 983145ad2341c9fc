using System.Text.Json;

namespace Crl.Jobs.Sweeps;

/// <summary>
/// One of the paper's experiments as a sweep: the launch form's "From the paper" menu and <c>GET /api/presets</c>
/// list these, and <c>POST /api/sweeps</c> with <c>"preset": "&lt;id&gt;"</c> starts from one.
/// </summary>
/// <param name="Id">What the API takes (<c>table-1</c>).</param>
/// <param name="Title">The menu's entry.</param>
/// <param name="Reproduces">The table or figure of Wang et al. (NeurIPS 2025) it reproduces.</param>
/// <param name="Description">What runs and what differs from the paper's setting, in a sentence or two.</param>
/// <param name="Request">The sweep it launches when nothing is overridden.</param>
public sealed record PaperPreset(string Id, string Title, string Reproduces, string Description, SweepRequest Request);

/// <summary>
/// The paper's experiments, as data: each preset is a grid over the axes and, per task, the paper's budget and
/// evaluation goals. A new experiment is one more <see cref="Preset"/> (or <see cref="Ablation"/>) entry.
/// </summary>
public static class PaperPresets
{
    /// <summary>A task of Table 1 with its env-step budget (Figure 1's x axes) and the goal set it was evaluated on.</summary>
    private sealed record PaperTask(string Env, long TotalEnvSteps, string? EvalEnv);

    private const long M = 1_000_000;

    /// <summary>The budget most tasks ran for; a task's own budget is set per task when it differs.</summary>
    private const long CommonBudget = 100 * M;

    /// <summary>
    /// Table 1's ten tasks. The mazes are evaluated on their <c>_eval</c> goal sets (the far goals, as the released
    /// job scripts pass <c>--eval_env_id</c>); the hardest maze has none, so it is evaluated on its training goals.
    /// </summary>
    private static readonly PaperTask[] Table1Tasks =
    [
        new("arm_binpick_hard", CommonBudget, null),
        new("arm_push_easy", CommonBudget, null),
        new("arm_push_hard", CommonBudget, null),
        new("ant_u4_maze", CommonBudget, "ant_u4_maze_eval"),
        new("ant_u5_maze", 400 * M, "ant_u5_maze_eval"),
        new("ant_big_maze", CommonBudget, "ant_big_maze_eval"),
        new("ant_hardest_maze", 200 * M, null),
        new("humanoid", CommonBudget, null),
        new("humanoid_u_maze", 400 * M, "humanoid_u_maze_eval"),
        new("humanoid_big_maze", 400 * M, "humanoid_big_maze_eval"),
    ];

    private static PaperTask Task(string env) => Table1Tasks.Single(t => t.Env == env);

    /// <summary>Figure 1 and Table 1 average five seeds; the other figures three.</summary>
    private static readonly long[] FiveSeeds = [1, 2, 3, 4, 5], ThreeSeeds = [1, 2, 3];

    /// <summary>The paper's batch size "for the majority" of runs (the released code's default is 256).</summary>
    private const int PaperBatch = 512;

    private const int PaperWidth = 256;

    /// <summary>
    /// Depth scaling shrunk to two CPU cores and about 16 minutes (measured, docs/studies/cpu-study): PointMaze (the project's own cheap task), narrow
    /// networks, short episodes and a small budget, with the quick run's faster learning rates. It asks whether depth
    /// helps at this budget, not whether the paper's numbers are reached.
    /// </summary>
    public static readonly PaperPreset CpuStudy = new("cpu-study", "CPU study: depth on PointMaze U in about 16 minutes",
        "Figure 1 (shrunk)",
        "Depths 4, 8 and 16 × 3 seeds on point_u_maze, width 64, batch 256, 300-step episodes, 15,000 updates "
        + "(490k env steps) each at learning rate 1e-3: nine runs in about 16 minutes with two worker slots on two idle CPU cores (docs/studies/cpu-study).",
        new SweepRequest
        {
            Name = "cpu-study point_u_maze depth",
            Envs = ["point_u_maze"],
            Depths = [4, 8, 16],
            Widths = [QuickSweep.Width],
            BatchSizes = [QuickSweep.BatchSize],
            Seeds = [.. ThreeSeeds],
            Settings = QuickSweep.Settings(QuickSweep.Collection(epochs: 20, trainingStepsPerEpoch: 15)),
        });

    public static IReadOnlyList<PaperPreset> All { get; } =
    [
        Preset("table-1", "Table 1: depth 4 vs 64 on the 10 tasks", "Table 1",
            "Every task at depth 4 and 64, width 256, batch 512, five seeds, each task's own budget (100M; 200M for the "
            + "hardest ant maze; 400M for the U5 ant maze and the two humanoid mazes) and the mazes' eval goal sets.",
            Table1Tasks, depths: [4, 64], seeds: FiveSeeds),
        Preset("depth-scaling", "Depth scaling per task (Figure 1)", "Figure 1",
            "Every task at depths 4, 8, 16, 32 and 64 with Table 1's budgets and settings, five seeds. For one task, "
            + "keep only it in the environments (or override \"envs\").",
            Table1Tasks, depths: [4, 8, 16, 32, 64], seeds: FiveSeeds),
        Preset("width-scaling", "Depth vs width: widths at depth 4 (Figure 4)", "Figure 4",
            "Widths 128 to 4096 at depth 4 on Humanoid (200M steps, as in this figure), Ant Big Maze and Arm Push Easy. "
            + "The figure's deep points (depth 8 and 32 at width 256) are the depth-scaling preset's runs of these tasks.",
            [Task("humanoid") with { TotalEnvSteps = 200 * M }, Task("ant_big_maze"), Task("arm_push_easy")],
            depths: [4], widths: [128, 256, 512, 1024, 2048, 4096], seeds: ThreeSeeds),
        Preset("actor-critic-depth", "Actor depth × critic depth (Figure 6)", "Figure 6",
            "Every pair of actor and critic depths in 4–64 on Humanoid, Ant Big Maze and Arm Push Easy, 100M steps.",
            [Task("humanoid"), Task("ant_big_maze"), Task("arm_push_easy")],
            actorDepths: [4, 8, 16, 32, 64], criticDepths: [4, 8, 16, 32, 64], seeds: ThreeSeeds),
        Preset("batch-depth", "Batch size × depth (Figure 7)", "Figure 7",
            "Batch sizes 128 to 2048 at depths 4, 8, 16 and 64 on Humanoid, 100M steps. From batch 1024 on Crl samples "
            + "more windows so each training step still makes 800 updates (the paper does not say how it kept that ratio).",
            [Task("humanoid")], depths: [4, 8, 16, 64], batchSizes: [128, 256, 512, 1024, 2048], seeds: ThreeSeeds),
        // Each ablation changes one switch at the depth-scaling preset's depths on the three tasks the paper's analyses
        // use; its baseline is the depth-scaling preset's runs of the same tasks (same budgets, seeds 1–3).
        Ablation("ablation-no-residual", "Ablation: depth without residual connections", "residual: false",
            "The same layers stacked without skip connections.", new { residual = false }),
        Ablation("ablation-relu", "Ablation: ReLU instead of Swish", "activation: Relu",
            "Every trunk layer uses ReLU (scaling-crl's use_relu).", new { activation = "Relu" }),
        Ablation("ablation-no-entropy", "Ablation: no entropy term", "entropy: false",
            "The actor loss is −Q alone and α is not trained (scaling-crl's disable_entropy).", new { entropy = false }),
        Ablation("ablation-argmax-q", "Ablation: act by the best of 16 samples under the critic", "evalActionSelection and collectActionSelection: argmax-q:16",
            "Evaluation and collection take the best of 16 policy samples under the critic (scaling-crl's eval_actor and expl_actor).",
            new { evalActionSelection = "argmax-q:16", collectActionSelection = "argmax-q:16" }),
        Ablation("ablation-all-batches", "Ablation: every minibatch of the sampled windows", "useAllBatches: true",
            "Each training step trains on every full minibatch of its sampled windows (scaling-crl's use_all_batches).",
            new { useAllBatches = true }),
        CpuStudy,
    ];

    /// <summary>An ablation: depths 4 to 64 on Humanoid, Ant Big Maze and Arm Push Easy with one switch changed.</summary>
    private static PaperPreset Ablation(string id, string title, string change, string description, object settings) =>
        Preset(id, title, "Ablation (" + change + ")",
            description + " Depths 4, 8, 16, 32 and 64, width 256, batch 512, three seeds; compare with the depth-scaling "
            + "preset's runs of the same tasks.",
            [Task("humanoid"), Task("ant_big_maze"), Task("arm_push_easy")], depths: [4, 8, 16, 32, 64], seeds: ThreeSeeds,
            settings: settings);


    public static bool TryGet(string id, out PaperPreset preset)
    {
        preset = All.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase))!;
        return preset is not null;
    }

    /// <summary>
    /// The request a sweep runs: without <c>preset</c>, the request itself; with one, the preset's request with every
    /// field the caller gave winning (a setting given for all tasks also replaces the preset's per-task value of it).
    /// </summary>
    public static SweepRequest Resolve(SweepRequest request)
    {
        if (request.Preset is null) return request;
        if (!TryGet(request.Preset, out var preset))
            throw new SweepRejected(new Dictionary<string, string[]>
            {
                ["preset"] = [$"'{request.Preset}' is not a preset; known: {string.Join(", ", All.Select(p => p.Id))}"],
            });
        var basis = preset.Request;
        var depthsGiven = request.Depths is not null || request.ActorDepths is not null || request.CriticDepths is not null;
        var overridden = (request.Settings ?? []).Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);

        var perEnv = new Dictionary<string, Dictionary<string, JsonElement>>();
        foreach (var (env, settings) in basis.PerEnv ?? [])
            perEnv[env] = settings.Where(s => !overridden.Contains(s.Key)).ToDictionary(s => s.Key, s => s.Value);
        foreach (var (env, settings) in request.PerEnv ?? [])
            perEnv[env] = Merge(perEnv.GetValueOrDefault(env), settings);

        return new SweepRequest
        {
            Name = request.Name ?? basis.Name,
            Envs = request.Envs ?? basis.Envs,
            Depths = depthsGiven ? request.Depths : basis.Depths,
            ActorDepths = depthsGiven ? request.ActorDepths : basis.ActorDepths,
            CriticDepths = depthsGiven ? request.CriticDepths : basis.CriticDepths,
            Widths = request.Widths ?? basis.Widths,
            BatchSizes = request.BatchSizes ?? basis.BatchSizes,
            Seeds = request.Seeds ?? basis.Seeds,
            Settings = Merge(basis.Settings, request.Settings ?? []),
            PerEnv = perEnv.Count == 0 ? null : perEnv,
        };
    }

    /// <summary><paramref name="settings"/> over <paramref name="basis"/>, keys compared as the planner does (any case).</summary>
    private static Dictionary<string, JsonElement> Merge(Dictionary<string, JsonElement>? basis, Dictionary<string, JsonElement> settings) =>
        (basis ?? []).Where(b => !settings.Keys.Contains(b.Key, StringComparer.OrdinalIgnoreCase))
            .Concat(settings).ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>A preset over paper tasks: width 256 and batch 512 unless given, budgets and eval goals per task.</summary>
    private static PaperPreset Preset(string id, string title, string reproduces, string description, PaperTask[] tasks,
        long[] seeds, int[]? depths = null, int[]? actorDepths = null, int[]? criticDepths = null, int[]? widths = null,
        int[]? batchSizes = null, object? settings = null)
    {
        var perEnv = new Dictionary<string, Dictionary<string, JsonElement>>();
        foreach (var task in tasks)
        {
            var own = new Dictionary<string, JsonElement>();
            if (task.TotalEnvSteps != CommonBudget) own["totalEnvSteps"] = JsonSerializer.SerializeToElement(task.TotalEnvSteps);
            if (task.EvalEnv is not null) own["evalEnv"] = JsonSerializer.SerializeToElement(task.EvalEnv);
            if (own.Count > 0) perEnv[task.Env] = own;
        }
        return new PaperPreset(id, title, reproduces, description, new SweepRequest
        {
            Name = id,
            Envs = [.. tasks.Select(t => t.Env)],
            Depths = depths is null ? null : [.. depths],
            ActorDepths = actorDepths is null ? null : [.. actorDepths],
            CriticDepths = criticDepths is null ? null : [.. criticDepths],
            Widths = [.. widths ?? [PaperWidth]],
            BatchSizes = [.. batchSizes ?? [PaperBatch]],
            Seeds = [.. seeds],
            Settings = Merge(QuickSweep.Settings(new { totalEnvSteps = CommonBudget }), settings is null ? [] : QuickSweep.Settings(settings)),
            PerEnv = perEnv.Count == 0 ? null : perEnv,
        });
    }
}

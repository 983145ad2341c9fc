using Crl.Core.Networks;
using Crl.Core.Training;
using Crl.Jobs.Configuration;
using Crl.Jobs.Sweeps;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>The paper's experiments as presets: the grids they queue, and how a caller's fields override them.</summary>
public class PaperPresetsTests
{
    private static SweepPlan Plan(string preset, SweepRequest? overrides = null) =>
        SweepPlanner.Plan((overrides ?? new SweepRequest()) with { Preset = preset });

    [Fact]
    public void Table_1_queues_the_ten_tasks_at_depth_4_and_64_with_batch_512_and_each_tasks_budget_and_eval_goals()
    {
        var plan = Plan("table-1");

        Assert.Equal(10 * 2 * 5, plan.Runs.Count);
        var configs = plan.Runs.Select(r => r.Config).ToList();
        Assert.All(configs, c => Assert.Equal((512, 256, 256), (c.BatchSize, c.ActorWidth, c.CriticWidth)));
        Assert.Equal([4, 64], configs.Select(c => c.ActorDepth).Distinct().Order());
        Assert.All(configs, c => Assert.Equal(c.ActorDepth, c.CriticDepth));
        Assert.Equal([1L, 2, 3, 4, 5], configs.Select(c => c.Seed).Distinct().Order());
        var byTask = configs.GroupBy(c => c.Env).ToDictionary(g => g.Key, g => g.Select(c => (c.TotalEnvSteps, c.EvalEnv)).Distinct().Single());
        Assert.Equal(10, byTask.Count);
        Assert.Equal((400_000_000L, "humanoid_u_maze_eval"), byTask["humanoid_u_maze"]);
        Assert.Equal((400_000_000L, "humanoid_big_maze_eval"), byTask["humanoid_big_maze"]);
        Assert.Equal((400_000_000L, "ant_u5_maze_eval"), byTask["ant_u5_maze"]);
        Assert.Equal((200_000_000L, new CrlConfig().EvalEnv), byTask["ant_hardest_maze"]);
        Assert.Equal((100_000_000L, "ant_big_maze_eval"), byTask["ant_big_maze"]);
        Assert.Equal((100_000_000L, new CrlConfig().EvalEnv), byTask["humanoid"]);
        Assert.Equal((100_000_000L, new CrlConfig().EvalEnv), byTask["arm_push_easy"]);
        // The paper's 100 epochs: 400M steps make 125 training steps per epoch, 100M make 31.
        Assert.All(configs, c => Assert.Equal(100, c.NumEpochs));
        Assert.Null(plan.Request.Preset); // what is stored is the resolved grid, so a later change to a preset cannot alter fill
    }

    [Fact]
    public void Every_preset_plans_without_a_refusal_including_batch_2048_at_depth_64_and_width_4096()
    {
        foreach (var preset in PaperPresets.All)
            Assert.NotEmpty(Plan(preset.Id).Runs);

        Assert.Contains(Plan("batch-depth").Runs, r => r.Config is { BatchSize: 2048, ActorDepth: 64 });
        Assert.Contains(Plan("width-scaling").Runs, r => r.Config is { ActorWidth: 4096, Env: "humanoid", TotalEnvSteps: 200_000_000 });
        Assert.Equal(3 * 25 * 3, Plan("actor-critic-depth").Runs.Count);
        Assert.Equal(10 * 5 * 5, Plan("depth-scaling").Runs.Count);
        var study = Plan("cpu-study").Runs;
        Assert.Equal(9, study.Count);
        Assert.Equal([4, 8, 16], study.Select(r => r.Config.ActorDepth).Distinct().Order());
    }

    [Fact]
    public void Every_preset_is_within_the_default_limits_so_the_paper_experiments_launch_on_a_fresh_install()
    {
        foreach (var preset in PaperPresets.All)
            Assert.True(SweepLimits.Exceeded(Plan(preset.Id), new LimitOptions(), activeRunsOfOwner: 0) is [],
                $"{preset.Id}: " + string.Join("; ", SweepLimits.Exceeded(Plan(preset.Id), new LimitOptions(), 0).Select(e => e.Message)));
    }

    [Theory]
    [InlineData("ablation-no-residual", nameof(CrlConfig.Residual), false)]
    [InlineData("ablation-relu", nameof(CrlConfig.Activation), Activation.Relu)]
    [InlineData("ablation-no-entropy", nameof(CrlConfig.Entropy), false)]
    [InlineData("ablation-argmax-q", nameof(CrlConfig.EvalActionSelection), "argmax-q:16")]
    [InlineData("ablation-argmax-q", nameof(CrlConfig.CollectActionSelection), "argmax-q:16")]
    [InlineData("ablation-all-batches", nameof(CrlConfig.UseAllBatches), true)]
    public void An_ablation_preset_changes_its_switch_and_keeps_the_depth_scaling_runs_other_settings(string id, string knob, object value)
    {
        var ablation = Plan(id).Runs;
        var baseline = Plan("depth-scaling").Runs;
        Assert.Equal(3 * 5 * 3, ablation.Count);
        var property = typeof(CrlConfig).GetProperty(knob)!;
        foreach (var run in ablation)
        {
            Assert.Equal(value, property.GetValue(run.Config));
            // The same run of the depth-scaling preset differs only in the ablation's switches.
            var twin = baseline.Single(b => (b.Config.Env, b.Config.ActorDepth, b.Config.Seed) == (run.Config.Env, run.Config.ActorDepth, run.Config.Seed));
            var switched = CrlKnobs.All.Where(k => k.IsAblation).Select(k => typeof(CrlConfig).GetProperty(k.Name)!).ToList();
            var unswitched = run.Config;
            foreach (var p in switched) unswitched = With(unswitched, p, p.GetValue(twin.Config));
            Assert.Equal(twin.Config, unswitched);
        }
    }

    private static CrlConfig With(CrlConfig config, System.Reflection.PropertyInfo property, object? value)
    {
        var copy = config with { };
        property.SetValue(copy, value);
        return copy;
    }

    [Fact]
    public void A_callers_fields_override_the_presets_and_a_budget_for_all_tasks_replaces_the_per_task_budgets()
    {
        var plan = Plan("table-1", new SweepRequest
        {
            Name = "mine", Envs = ["humanoid_u_maze", "ant_big_maze"], Depths = [8], Seeds = [7],
            Settings = QuickSweep.Settings(new { totalEnvSteps = 5_000_000 }),
        });

        Assert.Equal("mine", plan.Name);
        Assert.Equal(2, plan.Runs.Count);
        Assert.All(plan.Runs, r => Assert.Equal((8, 7L, 5_000_000L, 512), (r.Config.ActorDepth, r.Config.Seed, r.Config.TotalEnvSteps, r.Config.BatchSize)));
        Assert.Equal("humanoid_u_maze_eval", plan.Runs.Single(r => r.Config.Env == "humanoid_u_maze").Config.EvalEnv);

        var perTask = Plan("table-1", new SweepRequest
        {
            Envs = ["humanoid"], Depths = [4], Seeds = [1],
            PerEnv = new() { ["humanoid"] = QuickSweep.Settings(new { totalEnvSteps = 3_000_000 }) },
        });
        Assert.Equal(3_000_000, Assert.Single(perTask.Runs).Config.TotalEnvSteps);
    }

    [Fact]
    public void An_unknown_preset_or_per_task_setting_is_refused_naming_the_field()
    {
        var unknown = Assert.Throws<SweepRejected>(() => Plan("table-9"));
        Assert.Contains("table-1", Assert.Single(unknown.Errors["preset"]));

        var moon = Assert.Throws<SweepRejected>(() => Plan("table-1", new SweepRequest
        {
            PerEnv = new() { ["moon"] = QuickSweep.Settings(new { gamma = 0.5 }), ["humanoid"] = QuickSweep.Settings(new { numEnvs = "many" }) },
        }));
        Assert.Contains("'moon' is not an environment", Assert.Single(moon.Errors["perEnv.moon"]));
        Assert.Contains("numEnvs must be", Assert.Single(moon.Errors["perEnv.humanoid.numEnvs"]));

        var gamma = Assert.Throws<SweepRejected>(() => Plan("table-1", new SweepRequest
        {
            PerEnv = new() { ["humanoid"] = QuickSweep.Settings(new { gamma = 2.0 }) },
        }));
        Assert.Equal(["perEnv.humanoid.gamma"], gamma.Errors.Keys);
    }
}

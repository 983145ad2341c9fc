using Bunit;
using Crl.Core.Training;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Crl.Web.Components.Pages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>The launch form: validation messages next to the fields, a live preview, and nothing queued while a field is wrong.</summary>
public class NewSweepPageTests : PageTestBase
{
    [Fact]
    public async Task A_bad_depth_is_named_next_to_its_field_and_the_preview_counts_runs_once_it_is_fixed()
    {
        var page = Context.Render<NewSweep>();
        page.Find("[data-testid=field-name]").Input("depth test");

        page.Find("[data-testid=field-depths]").Input("4, 6");

        page.WaitForAssertion(() => Assert.Equal("depth must be a multiple of 4 in [4, 1024]; got 6", Assert.Single(page.Instance.Errors["depths[1]"])));
        Assert.Contains("depth must be a multiple of 4 in [4, 1024]; got 6", page.Markup);
        Assert.True(page.Find("[data-testid=launch-sweep]").HasAttribute("disabled"));
        Assert.Empty(page.FindAll("[data-testid=preview-runs]"));

        page.Find("[data-testid=field-depths]").Input("4, 8, 16");
        page.Find("[data-testid=field-seeds]").Input("1, 2");

        page.WaitForAssertion(() => Assert.Empty(page.Instance.Errors));
        page.WaitForAssertion(() => Assert.Equal("6", page.Find("[data-testid=preview-runs]").TextContent.Trim()));
        Assert.Matches(@"^[\d.]+ [TPE]FLOP of matrix products$", page.Find("[data-testid=preview-flops]").TextContent.Trim());
        // No run has finished in this database, so there is no measured rate to turn FLOPs into hours.
        Assert.Contains("once a run has finished", page.Find("[data-testid=preview-time]").TextContent);
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.Equal(0, await db.Runs.CountAsync()); // a preview queues nothing
    }

    [Fact]
    public async Task A_sweep_over_the_servers_limits_shows_each_limit_in_the_preview_and_cannot_be_launched()
    {
        var page = Context.Render<NewSweep>();
        page.Find("[data-testid=field-name]").Input("too big");

        page.Find("[data-testid=field-depths]").Input("1024");
        page.Find("[data-testid=field-widths]").Input("8192");

        // An input's handler runs on the renderer's dispatcher; on a loaded machine the preview may lag the typing.
        page.WaitForAssertion(() =>
        {
            var shown = page.FindAll("[data-testid=preview-limit]").Select(a => a.TextContent.Trim()).ToList();
            Assert.Contains(shown, m => m.StartsWith("the largest network", StringComparison.Ordinal) && m.EndsWith("Crl:Limits:MaxParametersPerNetwork allows 1,000,000,000", StringComparison.Ordinal));
            Assert.Equal(page.Instance.OverLimits.Select(o => o.Message), shown);
        });
        Assert.Contains("raise these limits", page.Find("[data-testid=preview-limits-note]").TextContent);
        Assert.True(page.Find("[data-testid=launch-sweep]").HasAttribute("disabled"));
        Assert.Equal("3", page.Find("[data-testid=preview-runs]").TextContent.Trim()); // the preview still says what was asked

        page.Find("[data-testid=field-depths]").Input("4");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=preview-limit]")));
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.Equal(0, await db.Runs.CountAsync());
    }

    [Fact]
    public void Helper_texts_give_each_fields_declared_range_and_a_bad_setting_is_named_next_to_it()
    {
        var page = Context.Render<NewSweep>();
        var width = CrlKnobs.Get(nameof(CrlConfig.ActorWidth));
        var numEnvs = CrlKnobs.Get(nameof(CrlConfig.NumEnvs));

        Assert.Contains($"each {width.Allowed}, comma-separated", page.Markup);
        Assert.Contains($"{numEnvs.Allowed} {numEnvs.Unit}; empty: {numEnvs.Default}", page.Markup);

        page.Find("[data-testid=field-name]").Input("range test");
        page.Find("[data-testid=field-num-envs]").Input((numEnvs.Max!.Value + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        page.WaitForAssertion(() => Assert.Contains($"must be {numEnvs.Allowed}", Assert.Single(page.Instance.Errors["numEnvs"])));
        Assert.True(page.Find("[data-testid=launch-sweep]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_clone_shows_the_past_sweeps_settings_and_launches_with_those_the_form_has_no_field_for()
    {
        var past = new SweepRequest
        {
            Name = "past", Envs = ["point_u_maze"], Depths = [4], Widths = [256], BatchSizes = [256], Seeds = [1],
            Settings = QuickSweep.Settings(new { totalEnvSteps = 2_000_000, numEnvs = "64", gamma = 0.9 }),
        };
        long pastId;
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            var sweep = new Sweep { Name = "past", SpecJson = StoredConfig.WriteSpec(past), CreatedAt = DateTime.UtcNow };
            db.Sweeps.Add(sweep);
            await db.SaveChangesAsync();
            pastId = sweep.Id;
        }

        var navigation = Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo($"/sweeps/new?from={pastId}");
        var page = Context.Render<NewSweep>();

        Assert.Equal("64", page.Find("[data-testid=field-num-envs]").GetAttribute("value"));
        Assert.Equal("", page.Find("[data-testid=field-unroll-length]").GetAttribute("value") ?? ""); // not given: its default, as it ran
        await page.Find("[data-testid=launch-sweep]").ClickAsync(new());

        await using var check = await DbFactory.CreateDbContextAsync();
        var runs = await check.Runs.Where(r => r.SweepId != pastId).ToListAsync();
        var config = StoredConfig.Read(Assert.Single(runs).ConfigJson);
        Assert.Equal((64, 0.9, new CrlConfig().UnrollLength), (config.NumEnvs, config.Gamma, config.UnrollLength));
    }

    [Fact]
    public async Task Launching_stores_the_sweep_with_one_queued_run_per_cell()
    {
        var page = Context.Render<NewSweep>();
        page.Find("[data-testid=field-name]").Input("launch test");
        page.Find("[data-testid=field-depths]").Input("4, 16");
        page.Find("[data-testid=field-seeds]").Input("7");

        await page.Find("[data-testid=launch-sweep]").ClickAsync(new());

        await using var db = await DbFactory.CreateDbContextAsync();
        var sweep = await db.Sweeps.Include(s => s.Runs).SingleAsync();
        Assert.Equal("launch test", sweep.Name);
        Assert.Equal([4, 16], sweep.Runs.Select(r => r.ActorDepth).Order());
        Assert.All(sweep.Runs, r => Assert.Equal(7, r.Seed));
        Assert.EndsWith($"/sweeps/{sweep.Id}", Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri);
    }

    [Fact]
    public async Task Once_a_run_has_finished_the_preview_turns_flops_into_hours()
    {
        // A finished run: its config's FLOPs over its 120 s of training set the rate.
        var finished = SweepPlanner.Plan(new SweepRequest { Name = "done", Envs = ["point_u_maze"], Depths = [4], Widths = [256], BatchSizes = [256], Seeds = [1] }).Runs[0].Config;
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            var run = new Run
            {
                Env = finished.Env, ConfigJson = StoredConfig.Write(finished), State = RunState.Succeeded,
                CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow, FinishedAt = DateTime.UtcNow,
            };
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            db.MetricPoints.Add(new MetricPoint { RunId = run.Id, Name = "eval/episode_success", Step = 0, WallTime = 5, Value = 0 });
            db.MetricPoints.Add(new MetricPoint { RunId = run.Id, Name = "eval/episode_success", Step = 1, WallTime = 125, Value = 0 });
            await db.SaveChangesAsync();
        }

        var page = Context.Render<NewSweep>();
        page.Find("[data-testid=field-name]").Input("hours");
        page.Find("[data-testid=field-depths]").Input("4");
        page.Find("[data-testid=field-seeds]").Input("1, 2");

        // The arithmetic is ComputeEstimateTests'; here the page shows it. No job server runs in this test.
        // The measured rate is read while the page initialises, which may finish after the typing.
        page.WaitForAssertion(() =>
        {
            var text = string.Join(' ', page.Find("[data-testid=preview-time]").TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
            Assert.Matches(@"^≈ \d+ (s|min|h|days) of training at [\d.,]+ GFLOP/s, the rate of the last 1 finished run\(s\); no worker is running now$", text);
        });
    }

    [Fact]
    public async Task A_paper_preset_fills_the_form_shows_its_cost_before_launch_and_launches_its_per_task_budgets()
    {
        var page = Context.Render<NewSweep>();

        await page.InvokeAsync(() => page.Instance.Fill(PaperPresets.All.Single(p => p.Id == "table-1")));
        page.Render();

        Assert.Contains("Table 1:", page.Find("[data-testid=preset-description]").TextContent);
        Assert.Equal("100", page.Find("[data-testid=preview-runs]").TextContent.Trim());
        Assert.Matches(@"^[\d.]+ [PEZ]FLOP of matrix products$", page.Find("[data-testid=preview-flops]").TextContent.Trim());
        Assert.Equal("100000000", page.Find("[data-testid=field-total-env-steps]").GetAttribute("value"));
        Assert.Contains("humanoid_u_maze", page.Find("[data-testid=per-env-settings]").TextContent);

        await page.Find("[data-testid=launch-sweep]").ClickAsync(new());

        await using var db = await DbFactory.CreateDbContextAsync();
        var configs = (await db.Runs.ToListAsync()).Select(r => StoredConfig.Read(r.ConfigJson)).ToList();
        Assert.Equal(100, configs.Count);
        Assert.All(configs.Where(c => c.Env == "ant_u5_maze"), c => Assert.Equal((400_000_000L, "ant_u5_maze_eval", 512), (c.TotalEnvSteps, c.EvalEnv, c.BatchSize)));
    }
}

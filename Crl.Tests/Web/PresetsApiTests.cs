using System.Net;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>What a script sees of the paper presets: the list with each one's cost, and launching one by id.</summary>
[Collection(DashboardCollection.Name)]
public class PresetsApiTests
{
    private static readonly Dictionary<string, string?> NoWorker = new() { ["Crl:Workers:InProcess"] = "false" };

    [Fact]
    public async Task Presets_are_listed_with_their_grid_and_cost_and_table_1_launched_with_no_overrides_queues_the_papers_grid()
    {
        await using var dashboard = await RunningDashboard.StartAsync(NoWorker);
        using var api = new ApiClient(dashboard);

        var presets = (await api.GetJsonAsync("/api/presets")).EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
        Assert.Contains("cpu-study", presets.Keys);
        var table1 = presets["table-1"];
        Assert.Equal("Table 1", table1.GetProperty("reproduces").GetString());
        Assert.Equal(100, table1.GetProperty("runs").GetInt32());
        Assert.True(table1.GetProperty("totalFlops").GetDouble() > 1e15);
        Assert.Equal(512, table1.GetProperty("request").GetProperty("batchSizes")[0].GetInt32());

        var (status, sweep) = await api.PostJsonAsync("/api/sweeps", new { preset = "table-1" });

        Assert.Equal(HttpStatusCode.Created, status);
        await using var db = await dashboard.Service<Microsoft.EntityFrameworkCore.IDbContextFactory<ExperimentDb>>().CreateDbContextAsync();
        var runs = await db.Runs.Where(r => r.SweepId == sweep.GetProperty("id").GetInt64()).ToListAsync();
        Assert.Equal(100, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunState.Queued, r.State));
        var configs = runs.Select(r => StoredConfig.Read(r.ConfigJson)).ToList();
        Assert.All(configs, c => Assert.Equal(512, c.BatchSize));
        Assert.All(configs.Where(c => c.Env == "humanoid_big_maze"), c => Assert.Equal((400_000_000L, "humanoid_big_maze_eval"), (c.TotalEnvSteps, c.EvalEnv)));
    }

    [Fact]
    public async Task Overrides_win_and_an_unknown_preset_is_a_400_naming_the_field_that_queues_nothing()
    {
        await using var dashboard = await RunningDashboard.StartAsync(NoWorker);
        using var api = new ApiClient(dashboard);

        var (status, sweep) = await api.PostJsonAsync("/api/sweeps", new { preset = "cpu-study", depths = new[] { 4 }, seeds = new[] { 9 }, totalEnvSteps = 20_000, numEpochs = 2 });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, sweep.GetProperty("runIds").GetArrayLength());

        var (bad, problem) = await api.PostJsonAsync("/api/sweeps", new { preset = "table-9" });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("known: table-1", problem.GetProperty("errors").GetProperty("preset")[0].GetString());
        Assert.Single((await api.GetJsonAsync("/api/sweeps")).EnumerateArray());
    }

    [Fact]
    public async Task The_quick_run_is_one_point_maze_run_queued_by_one_post()
    {
        await using var dashboard = await RunningDashboard.StartAsync(NoWorker);
        using var api = new ApiClient(dashboard);

        var (status, sweep) = await api.PostJsonAsync("/api/sweeps/quick");

        Assert.Equal(HttpStatusCode.Created, status);
        var run = await api.RunAsync(sweep.GetProperty("runIds")[0].GetInt64());
        Assert.Equal("point_u_maze", run.GetProperty("config").GetProperty("env").GetString());
        Assert.Equal(1, run.GetProperty("config").GetProperty("seed").GetInt64());
    }
}

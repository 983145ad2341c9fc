using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Crl.Web.Exports;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>The job server through its HTTP API, with the real in-process Hangfire server training PointMaze runs.</summary>
[Collection(DashboardCollection.Name)]
public class JobServerTests
{
    private static readonly Dictionary<string, string?> FastLeases = new()
    {
        ["Crl:Workers:HeartbeatInterval"] = "00:00:00.5",
        ["Crl:Workers:LeaseTimeout"] = "00:00:05",
        ["Crl:Workers:StopGracePeriod"] = "00:00:20",
    };

    [Fact]
    public async Task An_invalid_sweep_gets_problem_details_naming_each_field_and_queues_nothing()
    {
        await using var dashboard = await RunningDashboard.StartAsync();
        using var api = new ApiClient(dashboard);

        var (status, body) = await api.PostJsonAsync("/api/sweeps", new
        {
            name = "bad", envs = new[] { "point_u_maze", "nowhere" }, depths = new[] { 4, 5 }, widths = new[] { 4 },
            batchSizes = new[] { 256 }, seeds = new[] { 1 }, totalEnvSteps = 2_000_000, numEnvz = 3,
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = body.GetProperty("errors");
        Assert.StartsWith("'nowhere' is not an environment", errors.GetProperty("envs[1]")[0].GetString());
        Assert.Equal("depth must be a multiple of 4 in [4, 1024]; got 5", errors.GetProperty("depths[1]")[0].GetString());
        Assert.Equal("width must be in [16, 8192]; got 4", errors.GetProperty("widths[0]")[0].GetString());
        Assert.StartsWith("'numEnvz' is not a trainer setting", errors.GetProperty("numEnvz")[0].GetString());
        Assert.Equal(0, (await api.GetJsonAsync("/api/runs")).GetProperty("total").GetInt32());

        var (badJson, problem) = await api.PostJsonAsync("/api/sweeps", new { name = "x", depths = "deep" });
        Assert.Equal(HttpStatusCode.BadRequest, badJson);
        Assert.True(problem.GetProperty("errors").TryGetProperty("depths", out _));
    }

    [Fact]
    [Trait(Lanes.Trait, Lanes.Slow)]
    public async Task A_sweep_posted_as_json_trains_to_completion_and_its_csv_and_checkpoints_download()
    {
        await using var dashboard = await RunningDashboard.StartAsync();
        using var api = new ApiClient(dashboard);

        var (status, sweep) = await api.PostJsonAsync("/api/sweeps", QuickSweep.Request(seeds: [1, 2], epochs: 2));
        Assert.Equal(HttpStatusCode.Created, status);
        // Times are UTC and say so, whatever the script's time zone.
        Assert.EndsWith("Z", sweep.GetProperty("createdAt").GetString());
        Assert.InRange(DateTimeOffset.Parse(sweep.GetProperty("createdAt").GetString()!) - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(-5), TimeSpan.FromMinutes(1));
        var runIds = sweep.GetProperty("runIds").EnumerateArray().Select(r => r.GetInt64()).ToList();
        Assert.Equal(2, runIds.Count);

        foreach (var id in runIds)
        {
            var run = await api.WaitForRunAsync(id, r => ApiClient.State(r).IsFinished(), "finishing");
            Assert.Equal(RunState.Succeeded, ApiClient.State(run));
        }
        Assert.Equal("Succeeded", (await api.GetJsonAsync($"/api/sweeps/{sweep.GetProperty("id").GetInt64()}")).GetProperty("state").GetString());

        var lines = CsvLines(await api.Http.GetStringAsync($"/api/runs/{runIds[0]}/metrics.csv"));
        var header = lines[0].Split(',');
        Assert.Equal(["env_steps", "wall_time"], header[..2]);
        Assert.Contains("eval/episode_success", header);
        Assert.Contains("training/critic_loss", header);
        Assert.Equal(4, lines.Length); // header + epoch 0 + 2 epochs
        var steps = lines[1..].Select(l => long.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(steps.Order().Distinct(), steps);

        var results = CsvLines(await api.Http.GetStringAsync($"/api/sweeps/{sweep.GetProperty("id").GetInt64()}/results.csv"));
        Assert.Equal(CsvExports.SweepResultColumns, results[0].Split(','));
        Assert.Equal(3, results.Length);
        var first = results[1].Split(',');
        Assert.Equal(runIds[0].ToString(), first[0]);
        Assert.Equal("point_u_maze", first[1]);
        Assert.Equal("Succeeded", first[8]);
        var final = double.Parse(first[12], CultureInfo.InvariantCulture);
        var timeAtGoal = (await api.GetJsonAsync($"/api/runs/{runIds[0]}/metrics")).EnumerateArray()
            .Single(m => m.GetProperty("name").GetString() == "eval/episode_success").GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(timeAtGoal.TakeLast(5).Average(), final, 9);

        // The last evaluation's paths over the U-maze lie in the run's directory for the run page to draw.
        var trajectories = (await TrajectoryFile.ReadAsync(dashboard.Service<RunFiles>().Trajectories(runIds[0])))!;
        Assert.Equal(steps[^1], trajectories.EnvSteps);
        Assert.Equal(("point_u_maze", 8), (trajectories.Trajectories.Env, trajectories.Trajectories.Paths.Count));
        Assert.All(trajectories.Trajectories.Paths, p => Assert.Equal(100, p.X.Length)); // episode length 100

        var checkpoints = (await api.GetJsonAsync($"/api/runs/{runIds[0]}/checkpoints")).EnumerateArray().ToList();
        Assert.NotEmpty(checkpoints);
        var checkpoint = checkpoints[^1];
        var bytes = await api.Http.GetByteArrayAsync($"/api/runs/{runIds[0]}/checkpoints/{checkpoint.GetProperty("id").GetInt64()}");
        Assert.Equal(checkpoint.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(HttpStatusCode.NotFound, (await api.Http.GetAsync($"/api/runs/{runIds[1]}/checkpoints/{checkpoint.GetProperty("id").GetInt64()}")).StatusCode);
    }

    [Fact]
    [Trait(Lanes.Trait, Lanes.Slow)]
    public async Task Cancel_stops_a_training_run_within_seconds_and_retry_resumes_it_from_its_checkpoint()
    {
        await using var dashboard = await RunningDashboard.StartAsync(FastLeases);
        using var api = new ApiClient(dashboard);
        var (_, sweep) = await api.PostJsonAsync("/api/sweeps", QuickSweep.Request(epochs: 12));
        var id = sweep.GetProperty("runIds")[0].GetInt64();

        await api.WaitForRunAsync(id, r => r.GetProperty("epochsDone").GetInt32() >= 2, "two epochs done");
        var (cancelStatus, _) = await api.PostJsonAsync($"/api/runs/{id}/cancel");
        Assert.Equal(HttpStatusCode.OK, cancelStatus);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cancelled = await api.WaitForRunAsync(id, r => ApiClient.State(r).IsFinished(), "stopping", seconds: 30);
        Assert.Equal(RunState.Cancelled, ApiClient.State(cancelled));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {clock.Elapsed}");
        var epochsAtCancel = cancelled.GetProperty("epochsDone").GetInt32();
        Assert.InRange(epochsAtCancel, 2, 11);
        Assert.NotEmpty((await api.GetJsonAsync($"/api/runs/{id}/checkpoints")).EnumerateArray());

        var (retryStatus, retried) = await api.PostJsonAsync($"/api/runs/{id}/retry");
        Assert.Equal(HttpStatusCode.OK, retryStatus);
        Assert.Equal(id, retried.GetProperty("queued")[0].GetInt64());
        var finished = await api.WaitForRunAsync(id, r => ApiClient.State(r).IsFinished(), "finishing after retry");
        Assert.Equal(RunState.Succeeded, ApiClient.State(finished));
        Assert.Equal(2, finished.GetProperty("attempts").GetInt32());
        Assert.Equal(12, finished.GetProperty("epochsDone").GetInt32());
        // Both attempts' output is in the run's one train.log, each between the worker's marker lines.
        var markers = (await api.Http.GetStringAsync($"/api/runs/{id}/log")).Split('\n').Where(l => l.StartsWith(TrainLog.MarkerPrefix)).ToList();
        Assert.Equal(4, markers.Count);
        Assert.Matches($"attempt 1 of run {id} on worker ", markers[0]);
        Assert.Matches(@"attempt 1 ended Cancelled \(exit code 3\)", markers[1]);
        Assert.Matches($"attempt 2 of run {id} on worker ", markers[2]);
        Assert.Matches(@"attempt 2 ended Succeeded \(exit code 0\)", markers[3]);

        await AssertOnePointPerStepAsync(dashboard, id, expectedEvaluations: 13);
        var trajectories = await TrajectoryFile.ReadAsync(dashboard.Service<RunFiles>().Trajectories(id));
        Assert.Equal((12, finished.GetProperty("envStepsDone").GetInt64()), (trajectories!.Epoch, trajectories.EnvSteps));
    }

    [Fact]
    [Trait(Lanes.Trait, Lanes.Slow)]
    public async Task Fill_requeues_the_cancelled_cells_of_a_sweep_and_leaves_finished_ones_alone()
    {
        await using var dashboard = await RunningDashboard.StartAsync(FastLeases);
        using var api = new ApiClient(dashboard);
        var (_, sweep) = await api.PostJsonAsync("/api/sweeps", QuickSweep.Request(seeds: [1, 2, 3], epochs: 1));
        var sweepId = sweep.GetProperty("id").GetInt64();
        var ids = sweep.GetProperty("runIds").EnumerateArray().Select(r => r.GetInt64()).ToList();

        // With one slot the last run is still queued: cancelling it ends it at once.
        await api.PostJsonAsync($"/api/runs/{ids[2]}/cancel");
        Assert.Equal(RunState.Cancelled, ApiClient.State(await api.RunAsync(ids[2])));
        foreach (var id in ids[..2]) await api.WaitForRunAsync(id, r => ApiClient.State(r) == RunState.Succeeded, "succeeding");

        var (status, filled) = await api.PostJsonAsync($"/api/sweeps/{sweepId}/fill");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([ids[2]], filled.GetProperty("queued").EnumerateArray().Select(r => r.GetInt64()));
        await api.WaitForRunAsync(ids[2], r => ApiClient.State(r) == RunState.Succeeded, "succeeding after fill");
        Assert.Equal("Succeeded", (await api.GetJsonAsync($"/api/sweeps/{sweepId}")).GetProperty("state").GetString());
        Assert.Equal(1, (await api.RunAsync(ids[0])).GetProperty("attempts").GetInt32());
    }

    /// <summary>CsvHelper ends records with CRLF, as RFC 4180 says.</summary>
    internal static string[] CsvLines(string csv) => csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Every metric has exactly one point per logged step: nothing duplicated or lost across a resume.</summary>
    internal static async Task AssertOnePointPerStepAsync(RunningDashboard dashboard, long runId, int expectedEvaluations)
    {
        await using var db = await dashboard.Service<IDbContextFactory<ExperimentDb>>().CreateDbContextAsync();
        var points = await db.MetricPoints.Where(p => p.RunId == runId).ToListAsync();
        foreach (var metric in points.GroupBy(p => p.Name))
        {
            var steps = metric.Select(p => p.Step).ToList();
            Assert.True(steps.Distinct().Count() == steps.Count, $"{metric.Key} has duplicated steps");
        }
        var evaluations = points.Where(p => p.Name == "eval/episode_success").Select(p => p.Step).Order().ToList();
        Assert.Equal(expectedEvaluations, evaluations.Count);
        Assert.True(evaluations.Zip(evaluations.Skip(1)).All(pair => pair.First < pair.Second), "evaluation steps strictly increase");
    }
}

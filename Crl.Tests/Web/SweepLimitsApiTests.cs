using System.Net;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>A sweep over Crl:Limits is refused by the API with each limit named, and nothing is stored.</summary>
[Collection(DashboardCollection.Name)]
public class SweepLimitsApiTests
{
    [Fact]
    public async Task Ten_thousand_runs_of_depth_1024_width_8192_are_refused_with_the_limits_named_and_nothing_stored()
    {
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?> { ["Crl:Workers:InProcess"] = "false" });
        using var api = new ApiClient(dashboard);

        var (status, problem) = await api.PostJsonAsync("/api/sweeps", new
        {
            name = "too big", envs = new[] { "point_u_maze" }, depths = new[] { 1024 }, widths = new[] { 8192 }, batchSizes = new[] { 256 },
            seeds = Enumerable.Range(1, 10_000).ToArray(), totalEnvSteps = 2_000_000,
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Crl:Limits", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors");
        Assert.Equal("this sweep has 10,000 runs; Crl:Limits:MaxRunsPerSweep allows 1,000", errors.GetProperty("Crl:Limits:MaxRunsPerSweep")[0].GetString());
        Assert.EndsWith("Crl:Limits:MaxParametersPerNetwork allows 1,000,000,000", errors.GetProperty("Crl:Limits:MaxParametersPerNetwork")[0].GetString());
        var parameters = problem.GetProperty("limits").EnumerateArray().Single(l => l.GetProperty("limit").GetString() == "Crl:Limits:MaxParametersPerNetwork");
        Assert.Equal(1e9, parameters.GetProperty("allowed").GetDouble());
        Assert.True(parameters.GetProperty("sweep").GetDouble() > 68e9);

        Assert.Empty((await api.GetJsonAsync("/api/sweeps")).EnumerateArray());
        Assert.Equal(0, (await api.GetJsonAsync("/api/runs")).GetProperty("total").GetInt32());

        // Within the limits, the same request is queued.
        var (created, _) = await api.PostJsonAsync("/api/sweeps", QuickSweep.Request());
        Assert.Equal(HttpStatusCode.Created, created);
    }

    [Fact]
    public async Task A_users_queued_runs_count_against_their_limit_until_they_finish()
    {
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?>
        {
            ["Crl:Workers:InProcess"] = "false", ["Crl:Limits:MaxActiveRunsPerUser"] = "3",
        });
        using var api = new ApiClient(dashboard);

        Assert.Equal(HttpStatusCode.Created, (await api.PostJsonAsync("/api/sweeps", QuickSweep.Request(seeds: [1, 2]))).Status);
        var (refused, problem) = await api.PostJsonAsync("/api/sweeps", QuickSweep.Request(seeds: [3, 4]));
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal("you have 2 runs queued or running and this sweep adds 2; Crl:Limits:MaxActiveRunsPerUser allows 3",
            problem.GetProperty("errors").GetProperty("Crl:Limits:MaxActiveRunsPerUser")[0].GetString());

        var sweep = (await api.GetJsonAsync("/api/sweeps"))[0].GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await api.PostJsonAsync($"/api/sweeps/{sweep}/cancel")).Status);
        Assert.Equal(HttpStatusCode.Created, (await api.PostJsonAsync("/api/sweeps", QuickSweep.Request(seeds: [3, 4]))).Status);
    }

    [Fact]
    public async Task Retry_and_fill_count_against_the_owners_limit_and_a_refusal_changes_nothing()
    {
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?>
        {
            ["Crl:Workers:InProcess"] = "false", ["Crl:Limits:MaxActiveRunsPerUser"] = "3",
        });
        using var api = new ApiClient(dashboard);

        var (_, first) = await api.PostJsonAsync("/api/sweeps", QuickSweep.Request(seeds: [1, 2]));
        var sweep = first.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await api.PostJsonAsync($"/api/sweeps/{sweep}/cancel")).Status);
        Assert.Equal(HttpStatusCode.Created, (await api.PostJsonAsync("/api/sweeps", QuickSweep.Request(seeds: [3, 4]))).Status);

        // Two queued runs and two cancelled ones to bring back: one more than allowed, by retry or by fill.
        foreach (var action in new[] { "retry", "fill" })
        {
            var (refused, problem) = await api.PostJsonAsync($"/api/sweeps/{sweep}/{action}");
            Assert.Equal(HttpStatusCode.BadRequest, refused);
            Assert.Equal("you have 2 runs queued or running and this queues 2; Crl:Limits:MaxActiveRunsPerUser allows 3",
                problem.GetProperty("errors").GetProperty("Crl:Limits:MaxActiveRunsPerUser")[0].GetString());
        }
        var runs = (await api.GetJsonAsync($"/api/runs?sweepId={sweep}")).GetProperty("runs").EnumerateArray().ToList();
        Assert.All(runs, r => Assert.Equal(Crl.Jobs.Persistence.Model.RunState.Cancelled, ApiClient.State(r)));

        // One run fits; then the other does not.
        Assert.Equal(HttpStatusCode.OK, (await api.PostJsonAsync($"/api/runs/{runs[0].GetProperty("id").GetInt64()}/retry")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostJsonAsync($"/api/runs/{runs[1].GetProperty("id").GetInt64()}/retry")).Status);
        Assert.Equal(Crl.Jobs.Persistence.Model.RunState.Cancelled, ApiClient.State(await api.RunAsync(runs[1].GetProperty("id").GetInt64())));
    }
}

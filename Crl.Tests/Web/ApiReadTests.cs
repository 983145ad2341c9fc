using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>
/// What a script reads from the API: paged run lists, sweeps with their run counts, and a 404 naming the missing run,
/// sweep or checkpoint from every endpoint under its id. No worker runs, so queued runs stay queued.
/// </summary>
[Collection(DashboardCollection.Name)]
public class ApiReadTests
{
    private static readonly Dictionary<string, string?> NoWorker = new() { ["Crl:Workers:InProcess"] = "false" };

    [Fact]
    public async Task Runs_list_filtered_and_paged_in_id_order_and_sweeps_newest_first_with_their_runs_counted()
    {
        await using var dashboard = await RunningDashboard.StartAsync(NoWorker);
        using var api = new ApiClient(dashboard);
        var queue = dashboard.Service<RunQueue>();
        var first = await queue.LaunchAsync(QuickSweep.Request(seeds: [1, 2, 3, 4]));
        var second = await queue.LaunchAsync(QuickSweep.Request(seeds: [1, 2]));
        var firstIds = first.Runs.Select(r => r.Id).Order().ToList();
        await queue.CancelRunAsync(firstIds[1]);

        var queued = await api.GetJsonAsync($"/api/runs?sweepId={first.Id}&state=Queued&skip=1&take=2");
        Assert.Equal(3, queued.GetProperty("total").GetInt32());
        Assert.Equal([firstIds[2], firstIds[3]], queued.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        var run = queued.GetProperty("runs")[0];
        Assert.Equal("Queued", run.GetProperty("state").GetString());
        Assert.Equal(first.Id, run.GetProperty("sweepId").GetInt64());
        Assert.Equal("point_u_maze", run.GetProperty("config").GetProperty("env").GetString());
        Assert.True(run.GetProperty("parameters").GetProperty("total").GetInt64() > 0);

        var all = await api.GetJsonAsync("/api/runs");
        Assert.Equal(6, all.GetProperty("total").GetInt32());
        var ids = all.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Order(), ids);

        var sweeps = (await api.GetJsonAsync("/api/sweeps")).EnumerateArray().ToList();
        Assert.Equal([second.Id, first.Id], sweeps.Select(s => s.GetProperty("id").GetInt64()));
        Assert.Equal(firstIds, sweeps[1].GetProperty("runIds").EnumerateArray().Select(i => i.GetInt64()));
        Assert.Equal(3, sweeps[1].GetProperty("runsByState").GetProperty("Queued").GetInt32());
        Assert.Equal(1, sweeps[1].GetProperty("runsByState").GetProperty("Cancelled").GetInt32());
        Assert.Equal("Queued", sweeps[1].GetProperty("state").GetString());
        Assert.Equal([second.Id], (await api.GetJsonAsync("/api/sweeps?skip=0&take=1")).EnumerateArray().Select(s => s.GetProperty("id").GetInt64()));

        foreach (var bad in new[] { "/api/runs?take=0", "/api/runs?take=1001", "/api/runs?skip=-1", "/api/sweeps?take=0" })
        {
            var response = await api.Http.GetAsync(bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(JsonValueKind.Object, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").ValueKind);
        }

        var scaling = await api.Http.GetAsync($"/api/scaling.csv?sweepId={first.Id}&axis=Width");
        Assert.Equal(HttpStatusCode.OK, scaling.StatusCode);
        Assert.Equal("text/csv", scaling.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Every_endpoint_under_a_missing_id_answers_404_naming_what_is_missing()
    {
        await using var dashboard = await RunningDashboard.StartAsync(NoWorker);
        using var api = new ApiClient(dashboard);
        var sweep = await dashboard.Service<RunQueue>().LaunchAsync(QuickSweep.Request(seeds: [1, 2]));
        var (runId, otherRunId) = (sweep.Runs[0].Id, sweep.Runs[1].Id);
        const long missing = 987654;

        foreach (var (method, path) in new[]
        {
            ("GET", $"/api/runs/{missing}"), ("POST", $"/api/runs/{missing}/cancel"), ("POST", $"/api/runs/{missing}/retry"),
            ("GET", $"/api/runs/{missing}/metrics"), ("GET", $"/api/runs/{missing}/metrics.csv"), ("GET", $"/api/runs/{missing}/checkpoints"),
        })
            await AssertNotFoundAsync(api, method, path, $"run {missing} does not exist");
        foreach (var (method, path) in new[]
        {
            ("GET", $"/api/sweeps/{missing}"), ("POST", $"/api/sweeps/{missing}/cancel"), ("POST", $"/api/sweeps/{missing}/retry"),
            ("POST", $"/api/sweeps/{missing}/fill"), ("GET", $"/api/sweeps/{missing}/results.csv"),
        })
            await AssertNotFoundAsync(api, method, path, $"sweep {missing} does not exist");
        await AssertNotFoundAsync(api, "GET", $"/api/runs/{runId}/checkpoints/{missing}", $"checkpoint {missing} does not exist");

        // The same endpoints answer for a run and a sweep that exist.
        Assert.Empty((await api.GetJsonAsync($"/api/runs/{runId}/metrics")).EnumerateArray());
        Assert.Empty((await api.GetJsonAsync($"/api/runs/{runId}/checkpoints")).EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync($"/api/sweeps/{sweep.Id}/results.csv")).StatusCode);
        var (cancelStatus, cancelled) = await api.PostJsonAsync($"/api/runs/{runId}/cancel");
        Assert.Equal(HttpStatusCode.OK, cancelStatus);
        Assert.Equal(1, cancelled.GetProperty("cancelled").GetInt32());
        var (retryStatus, retried) = await api.PostJsonAsync($"/api/sweeps/{sweep.Id}/retry");
        Assert.Equal(HttpStatusCode.OK, retryStatus);
        Assert.Equal([runId], retried.GetProperty("queued").EnumerateArray().Select(i => i.GetInt64()));

        // A checkpoint is served only under its own run, and only while its file is on disk.
        long checkpointId;
        await using (var db = await dashboard.Service<IDbContextFactory<ExperimentDb>>().CreateDbContextAsync())
        {
            var checkpoint = new Checkpoint { RunId = runId, Epoch = 0, RelativePath = "runs/gone.zip", Sha256 = "", CreatedAt = DateTime.UtcNow };
            db.Checkpoints.Add(checkpoint);
            await db.SaveChangesAsync();
            checkpointId = checkpoint.Id;
        }
        await AssertNotFoundAsync(api, "GET", $"/api/runs/{otherRunId}/checkpoints/{checkpointId}", $"checkpoint {checkpointId} does not exist");
        Assert.Equal(HttpStatusCode.Gone, (await api.Http.GetAsync($"/api/runs/{runId}/checkpoints/{checkpointId}")).StatusCode);
    }

    private static async Task AssertNotFoundAsync(ApiClient api, string method, string path, string detail)
    {
        var response = await api.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? JsonContent.Create(new { }) : null });
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
        Assert.Equal(detail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Crl.Web.Queries;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>
/// A run's console through the real dashboard: its train.log fills while the in-process worker's training process
/// trains it, and a run whose training process fails opens on its error lines. Also the log endpoint's contract.
/// </summary>
[Collection(DashboardCollection.Name)]
public class RunConsoleTests
{
    [Fact]
    [Trait(Lanes.Trait, Lanes.Slow)]
    public async Task The_log_fills_while_a_run_trains_and_a_failed_runs_page_opens_on_its_error_lines()
    {
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?> { ["Crl:Workers:HeartbeatInterval"] = "00:00:00.5" });
        using var api = new ApiClient(dashboard);
        var (_, sweep) = await api.PostJsonAsync("/api/sweeps", QuickSweep.Request(seeds: [1, 2], epochs: 6));
        var ids = sweep.GetProperty("runIds").EnumerateArray().Select(r => r.GetInt64()).ToList();

        // One slot: one run trains while the other waits. The waiting one gets a corrupt checkpoint to resume from.
        var training = await Eventually.ReturnsAsync(
            async () => (await Task.WhenAll(ids.Select(api.RunAsync))).FirstOrDefault(r => ApiClient.State(r) == RunState.Running),
            r => r.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(120), "a run to start");
        var (trainingId, failingId) = (training.GetProperty("id").GetInt64(), ids.Single(i => i != training.GetProperty("id").GetInt64()));
        var corrupt = dashboard.Service<RunFiles>().LatestCheckpoint(failingId);
        Directory.CreateDirectory(corrupt);
        await File.WriteAllTextAsync(Path.Combine(corrupt, "trainer.json"), "{ this is not a checkpoint");

        // While it trains, the log grows epoch by epoch; the Workers page lists it with the worker's machine load.
        var early = await Eventually.ReturnsAsync(() => LogAsync(api, trainingId), log => log.Any(l => l.Contains("epoch 1/6")),
            TimeSpan.FromSeconds(120), "the first epoch's line in train.log");
        var later = await Eventually.ReturnsAsync(() => LogAsync(api, trainingId), log => log.Any(l => l.Contains("epoch 3/6")),
            TimeSpan.FromSeconds(120), "the third epoch's line in train.log");
        Assert.True(later.Length > early.Length);
        Assert.Matches($"^=== .* attempt 1 of run {trainingId} on worker ", early[0]);
        var worker = (await dashboard.Service<WorkersQuery>().ListAsync()).Single();
        Assert.NotNull(worker.Load);
        Assert.InRange(worker.Load.Machine.MemoryUsedBytes!.Value, 1, worker.Load.Machine.MemoryTotalBytes!.Value);
        var stillTraining = ApiClient.State(await api.RunAsync(trainingId)) == RunState.Running;
        if (stillTraining) Assert.Contains(trainingId, worker.RunningRunIds);

        var succeeded = await api.WaitForRunAsync(trainingId, r => ApiClient.State(r).IsFinished(), "finishing");
        Assert.Equal(RunState.Succeeded, ApiClient.State(succeeded));
        var full = await api.Http.GetStringAsync($"/api/runs/{trainingId}/log");
        Assert.Matches(@"=== .* attempt 1 ended Succeeded \(exit code 0\) ===\n$", full);
        // The training process's resource use was recorded with its metrics.
        var names = (await api.GetJsonAsync($"/api/runs/{trainingId}/metrics")).EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Contains("system/cpu_percent", names);
        Assert.Contains("system/rss_mib", names);
        Assert.Contains("system/peak_rss_mib", names);

        var failed = await api.WaitForRunAsync(failingId, r => ApiClient.State(r).IsFinished(), "failing");
        Assert.Equal(RunState.Failed, ApiClient.State(failed));
        var tail = await LogAsync(api, failingId);
        // Standard output and error reach the log through two pipes, so the error line is among the last lines
        // before the attempt's closing marker rather than always right before it.
        Assert.Contains(tail[..^1].TakeLast(40), l => l.StartsWith(RunJob.ErrorPrefix, StringComparison.Ordinal));
        Assert.Matches(@"attempt 1 ended Failed \(exit code 1\)", tail[^1]);

        // The run page, as the browser first receives it, is on the Logs tab with the error line marked.
        using var browser = await dashboard.SignedInClientAsync();
        var html = await browser.GetStringAsync($"/runs/{failingId}");
        var errorLine = System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"log-error-line\"[^>]*>([^<]*)<");
        Assert.True(errorLine.Success, "no error line on the failed run's page");
        Assert.StartsWith(RunJob.ErrorPrefix, WebUtility.HtmlDecode(errorLine.Groups[1].Value));
        Assert.Contains("crl-log-context", html);
    }

    [Fact]
    public async Task The_log_endpoint_serves_the_tail_or_the_whole_log_and_refuses_a_bad_tail()
    {
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?> { ["Crl:Workers:InProcess"] = "false" });
        using var api = new ApiClient(dashboard);
        var sweep = await dashboard.Service<RunQueue>().LaunchAsync(QuickSweep.Request());
        var id = sweep.Runs[0].Id;

        // Not started yet: an empty log, not an error.
        Assert.Equal("", await api.Http.GetStringAsync($"/api/runs/{id}/log?tail=10"));
        using (var log = new TrainLog(dashboard.Service<RunFiles>().TrainLog(id), 1 << 20))
            for (int i = 1; i <= 5; i++) log.Append($"line {i}");

        Assert.Equal("line 4\nline 5\n", await api.Http.GetStringAsync($"/api/runs/{id}/log?tail=2"));
        var whole = await api.Http.GetAsync($"/api/runs/{id}/log");
        Assert.Equal("text/plain", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"run-{id}-train.log", whole.Content.Headers.ContentDisposition?.FileNameStar ?? whole.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("line 1\nline 2\nline 3\nline 4\nline 5\n", await whole.Content.ReadAsStringAsync());

        foreach (var bad in new[] { "0", "-3", "100001", "ten", "" })
        {
            var response = await api.Http.GetAsync($"/api/runs/{id}/log?tail={bad}");
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"tail={bad}: {response.StatusCode}");
            var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("tail")[0].GetString();
            Assert.Equal($"tail must be a whole number of lines in [1, 100000]; got '{bad}'", message);
        }
        var missing = await api.Http.GetAsync("/api/runs/987654/log?tail=5");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("run 987654 does not exist", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    private static async Task<string[]> LogAsync(ApiClient api, long runId) =>
        (await api.Http.GetStringAsync($"/api/runs/{runId}/log?tail=100000")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

using System.Net;
using System.Text.Json;
using Crl.Core.Training;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>The first end-to-end path: the Runs page's button → Hangfire job → TorchSharp training → SQLite.</summary>
[Collection(DashboardCollection.Name)]
public class JobPathTests
{
    [Fact]
    public async Task A_queued_run_is_trained_by_the_in_process_worker_and_recorded_in_sqlite()
    {
        await using var dashboard = await RunningDashboard.StartAsync();
        var launcher = dashboard.Service<RunLauncher>();

        var queued = await launcher.QueueWarmupAsync(new RegressionWarmupConfig(Steps: 60, Width: 32, BatchSize: 64));
        Assert.Equal(RunState.Queued, queued.State);
        Assert.NotNull(queued.JobId);

        var dbFactory = dashboard.Service<IDbContextFactory<ExperimentDb>>();
        var run = await Eventually.ReturnsAsync(async () =>
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                return await db.Runs.AsNoTracking().SingleAsync(r => r.Id == queued.Id);
            },
            r => r.State.IsFinished(), TimeSpan.FromSeconds(90), $"run {queued.Id} finishing");

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Null(run.Error);
        Assert.Equal(1.0, run.Progress);
        Assert.NotNull(run.StartedAt);
        Assert.True(run.FinishedAt >= run.StartedAt);
        Assert.False(string.IsNullOrEmpty(run.WorkerName));

        await using var check = await dbFactory.CreateDbContextAsync();
        var losses = await check.MetricPoints.Where(p => p.RunId == run.Id).OrderBy(p => p.Step).ToListAsync();
        Assert.Equal([10, 20, 30, 40, 50, 60], losses.Select(p => p.Step));
        Assert.All(losses, p => Assert.True(double.IsFinite(p.Value) && p.Value > 0));
        // Adam on a fixed smooth target: the loss falls.
        Assert.True(losses[^1].Value < losses[0].Value, $"loss went from {losses[0].Value} to {losses[^1].Value}");
        Assert.True(File.Exists(Path.Combine(dashboard.DataDirectory, "crl.db")));
        Assert.True(File.Exists(Path.Combine(dashboard.DataDirectory, "hangfire.db")));
    }

    [Fact]
    public async Task Healthz_names_every_check_and_turns_503_when_the_data_directory_stops_being_writable()
    {
        await using var dashboard = await RunningDashboard.StartAsync();

        var healthy = await dashboard.Http.GetAsync("/healthz");
        var report = JsonDocument.Parse(await healthy.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        var checks = report.GetProperty("checks");
        foreach (var name in new[] { "data-directory", "database", "hangfire", "torch" })
            Assert.Equal("Healthy", checks.GetProperty(name).GetProperty("status").GetString());

        // Tests run as root, for whom permissions do not stop writes: put a file where the directory's probe goes.
        var blocker = Path.Combine(dashboard.DataDirectory, $".write-probe-{Environment.ProcessId}");
        Directory.CreateDirectory(blocker);
        File.WriteAllText(Path.Combine(blocker, "keep"), "a directory where the probe file must go");

        var failing = await dashboard.Http.GetAsync("/healthz");
        var failed = JsonDocument.Parse(await failing.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        var dataCheck = failed.GetProperty("data-directory");
        Assert.Equal("Unhealthy", dataCheck.GetProperty("status").GetString());
        Assert.Contains("Crl:DataDirectory", dataCheck.GetProperty("description").GetString());
        Assert.Equal("Healthy", failed.GetProperty("torch").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_shell_pages_and_the_hangfire_dashboard_are_served()
    {
        await using var dashboard = await RunningDashboard.StartAsync();
        using var browser = await dashboard.SignedInClientAsync();

        foreach (var page in new[] { "/", "/sweeps", "/runs", "/compare", "/scaling", "/workers" })
        {
            var html = await browser.GetStringAsync(page);
            Assert.Contains("Sweeps", html);   // navigation
            Assert.Contains("Workers", html);
        }
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/_content/MudBlazor/MudBlazor.min.css")).StatusCode);
    }
}

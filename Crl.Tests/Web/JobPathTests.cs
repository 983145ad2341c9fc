using System.Net;
using System.Text.Json;
using Crl.Jobs.Sweeps;
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
    [Trait(Lanes.Trait, Lanes.Slow)]
    public async Task A_queued_run_is_trained_in_its_own_process_and_its_metrics_and_checkpoints_are_recorded()
    {
        await using var dashboard = await RunningDashboard.StartAsync();
        var queue = dashboard.Service<RunQueue>();

        var sweep = await queue.LaunchAsync(QuickSweep.Request());
        var queued = Assert.Single(sweep.Runs);
        Assert.Equal(RunState.Queued, queued.State);
        Assert.Null(queued.JobId); // the dispatcher gives it a job when a slot is free

        var dbFactory = dashboard.Service<IDbContextFactory<ExperimentDb>>();
        var run = await Eventually.ReturnsAsync(async () =>
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                return await db.Runs.AsNoTracking().SingleAsync(r => r.Id == queued.Id);
            },
            r => r.State.IsFinished(), TimeSpan.FromSeconds(180), $"run {queued.Id} finishing");

        Assert.Null(run.Error);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(1.0, run.Progress);
        Assert.Equal(4, run.EpochsDone);
        Assert.Equal(1, run.Attempts);
        Assert.Equal(run.TotalEnvSteps, run.EnvStepsDone);
        Assert.NotNull(run.FinalTimeAtGoal);
        Assert.True(run.FinishedAt >= run.StartedAt);
        Assert.False(string.IsNullOrEmpty(run.LeaseOwner));

        await using var check = await dbFactory.CreateDbContextAsync();
        var timeAtGoal = await check.MetricPoints.Where(p => p.RunId == run.Id && p.Name == "eval/episode_success").OrderBy(p => p.Step).ToListAsync();
        // Epoch 0 (before training) and four epochs, each at a later env step.
        Assert.Equal(5, timeAtGoal.Count);
        Assert.Equal(timeAtGoal.Select(p => p.Step).Distinct().Count(), timeAtGoal.Count);
        Assert.All(timeAtGoal, p => Assert.InRange(p.Value, 0, 100));
        var criticLoss = await check.MetricPoints.Where(p => p.RunId == run.Id && p.Name == "training/critic_loss").ToListAsync();
        Assert.Equal(4, criticLoss.Count);
        Assert.All(criticLoss, p => Assert.True(double.IsFinite(p.Value) && p.Value > 0));

        var checkpoints = await check.Checkpoints.Where(c => c.RunId == run.Id).OrderBy(c => c.Epoch).ToListAsync();
        Assert.NotEmpty(checkpoints);
        foreach (var checkpoint in checkpoints)
        {
            var file = new FileInfo(Path.Combine(dashboard.DataDirectory, checkpoint.RelativePath));
            Assert.True(file.Exists, $"{file} exists");
            Assert.Equal(file.Length, checkpoint.SizeBytes);
            await using var stream = file.OpenRead();
            Assert.Equal(checkpoint.Sha256, Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream)));
        }
        Assert.True(File.Exists(Path.Combine(dashboard.DataDirectory, "runs", run.Id.ToString(), "checkpoints", "latest", "trainer.json")));
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

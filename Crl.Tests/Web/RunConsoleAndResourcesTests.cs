using Bunit;
using Crl.Core.Training;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Resources;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Crl.Web.Components.Charts;
using Crl.Web.Components.Pages;
using Crl.Web.Components.Runs;
using Crl.Web.Queries;
using Hangfire.Server;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>
/// A run's console (its train.log on the Logs tab, followed live), its resource charts and the Workers page's machine
/// load, over a real SQLite file, real log files and Hangfire's real SQLite storage.
/// </summary>
public class RunConsoleAndResourcesTests : PageTestBase
{
    private long runningId, failedId;

    protected override async Task SeedAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var running = NewRun(RunState.Running, progress: 0.25, startedMinutesAgo: 10);
        var failed = NewRun(RunState.Failed, progress: 0.5, startedMinutesAgo: 30);
        failed.FinishedAt = failed.StartedAt!.Value.AddMinutes(20);
        failed.Error = "losses became NaN at env step 2,000";
        db.Runs.AddRange(running, failed);
        await db.SaveChangesAsync();
        (runningId, failedId) = (running.Id, failed.Id);
        foreach (var (step, rss) in new[] { (0L, 300.0), (1000L, 420.0) })
        {
            db.MetricPoints.Add(new MetricPoint { RunId = runningId, Name = MetricNames.EpisodeSuccess, Step = step, WallTime = step / 100.0, Value = 5 });
            db.MetricPoints.Add(new MetricPoint { RunId = runningId, Name = MetricNames.CpuUtilization, Step = step, WallTime = step / 100.0, Value = 87.5 });
            db.MetricPoints.Add(new MetricPoint { RunId = runningId, Name = MetricNames.ResidentMemory, Step = step, WallTime = step / 100.0, Value = rss });
            db.MetricPoints.Add(new MetricPoint { RunId = runningId, Name = MetricNames.PeakResidentMemory, Step = step, WallTime = step / 100.0, Value = 450 });
        }
        await db.SaveChangesAsync();
    }

    [Fact]
    public void The_logs_tab_shows_the_last_lines_then_follows_new_ones_with_search_and_download()
    {
        using (var log = new TrainLog(Files.TrainLog(runningId), 1 << 20))
        {
            log.Mark($"attempt 1 of run {runningId} on worker worker-a");
            for (int i = 0; i < 2500; i++) log.Append($"info: prefill {i}");
            log.Append("info: epoch 1/4: env steps 1000, sps 812");
        }
        var page = Context.Render<RunPage>(p => p.Add(x => x.Id, runningId));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindComponents<MetricChart>()));
        Assert.Empty(page.FindComponents<RunLogView>());          // a running run opens on its curves
        // A quarter done after ten minutes (plus however long this machine took to get here): thirty left.
        Assert.Matches(@"elapsed 10m [0-5]\ds · about 3[0-2]m \d\ds left", page.Find("[data-testid=run-timing]").TextContent);

        OpenTab(page, "Logs");
        var view = page.FindComponent<RunLogView>();
        Assert.Equal(RunLogView.KeptLines, view.Instance.Lines.Count);
        Assert.Equal("info: epoch 1/4: env steps 1000, sps 812", view.Instance.Lines[^1]);
        Assert.Contains("the last 2,000", page.Find("[data-testid=log-count]").TextContent);
        Assert.Equal($"/api/runs/{runningId}/log", page.Find("[data-testid=log-download]").GetAttribute("href"));

        // The worker writes more; the feed's next tick brings exactly the new lines to the open page.
        using (var log = new TrainLog(Files.TrainLog(runningId), 1 << 20))
        {
            log.Append("info: epoch 2/4: env steps 2000, sps 790");
            log.Append("warn: MuJoCo bad qacc");
        }
        TrainLogs.Publish();
        page.WaitForAssertion(() => Assert.Equal("warn: MuJoCo bad qacc", page.FindComponent<RunLogView>().Instance.Lines[^1]));
        Assert.Contains("info: epoch 2/4: env steps 2000, sps 790", page.Find("[data-testid=run-log]").TextContent);
        Assert.Equal(1, page.FindComponent<RunLogView>().Instance.Lines.Count(l => l.Contains("epoch 2/4")));

        page.Find("input[data-testid=log-search]").Input("EPOCH");
        page.WaitForAssertion(() => Assert.Equal(
            ["info: epoch 1/4: env steps 1000, sps 812", "info: epoch 2/4: env steps 2000, sps 790"], page.FindComponent<RunLogView>().Instance.Shown));
        Assert.Contains("2 of 2,000 lines match", page.Find("[data-testid=log-count]").TextContent);
        Assert.Equal(2, page.FindAll("[data-testid=run-log] .crl-log-line").Count);
    }

    [Fact]
    public void A_failed_run_opens_on_its_log_with_the_lines_around_its_error_highlighted()
    {
        using (var log = new TrainLog(Files.TrainLog(failedId), 1 << 20))
        {
            log.Mark($"attempt 1 of run {failedId} on worker worker-a");
            for (int i = 0; i < 40; i++) log.Append($"info: epoch {i}");
            log.Append("fail: Crl.Jobs.Runs.RunExecution[0] Run failed");
            log.Append("      Crl.Jobs.Runs.TrainingDivergedException: losses became NaN at env step 2,000");
            log.Append(RunJob.ErrorPrefix + "losses became NaN at env step 2,000 (training/critic_loss)");
            log.Mark("attempt 1 ended Failed (exit code 1)");
        }
        var page = Context.Render<RunPage>(p => p.Add(x => x.Id, failedId));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindComponents<RunLogView>()));
        Assert.Equal("run failed: losses became NaN at env step 2,000 (training/critic_loss)", page.Find("[data-testid=log-error-line]").TextContent);
        var context = page.FindAll(".crl-log-context").Select(e => e.TextContent).ToList();
        Assert.Equal(RunLogView.ErrorContext, context.Count);
        Assert.Equal("      Crl.Jobs.Runs.TrainingDivergedException: losses became NaN at env step 2,000", context[^1]);
        Assert.Contains("The run failed", page.Find("[data-testid=log-error-note]").TextContent);
        // Scrolled to: the error line is focused once the page has rendered.
        Assert.Contains(Context.JSInterop.Invocations, i => i.Identifier.Contains("focus", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Resource_use_is_charted_on_its_tab_and_gpu_charts_appear_only_when_a_gpu_was_recorded()
    {
        var page = Context.Render<RunPage>(p => p.Add(x => x.Id, runningId));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindComponents<MetricChart>()));
        OpenTab(page, "Resources");

        var charts = page.FindComponents<MetricChart>().Select(c => c.Instance).ToList();
        Assert.Equal(["CPU (% of the cores)", "Resident memory (MiB)"], charts.Select(c => c.Title));
        var memory = charts.Single(c => c.Title == "Resident memory (MiB)");
        Assert.Equal([MetricNames.ResidentMemory, MetricNames.PeakResidentMemory], memory.Series.Select(s => s.Name));
        Assert.Equal([300.0, 420.0], memory.Series[0].Y);
        Assert.Equal([87.5, 87.5], charts[0].Series[0].Y);
    }

    [Fact]
    public async Task The_workers_page_shows_each_live_workers_machine_load_and_runs()
    {
        using (var connection = Hangfire.GetConnection())
            connection.AnnounceServer("worker-a:4896:1bb7fa27-6cdb-4fbd-a17d-7a92cb5c7921", new ServerContext { WorkerCount = 2, Queues = ["training"] });
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            var run = await db.Runs.FindAsync(runningId);
            run!.LeaseOwner = "worker-a";
            await db.SaveChangesAsync();
        }
        WorkerReporter.Write(Hangfire, "worker-a", new MachineLoad(63.2, 3.4, 8, 6L << 30, 16L << 30, "cuda", 80L << 30), DateTime.UtcNow, TimeSpan.FromMinutes(1));

        var page = Context.Render<Workers>();

        page.WaitForAssertion(() => Assert.Equal("63 % · load 3.4 / 8 cores", page.Find("[data-testid=worker-cpu]").TextContent));
        Assert.Equal("6.0 / 16.0 GiB", page.Find("[data-testid=worker-memory]").TextContent);
        Assert.Equal("cuda · 80.0 GiB", page.Find("[data-testid=worker-device]").TextContent);
        Assert.Contains($"#{runningId}", page.Find("[data-testid=workers-table]").TextContent);
    }

    [Fact]
    public void Workers_devices_survive_the_heartbeat_and_are_what_the_launch_preview_checks_memory_against()
    {
        // A GPU worker, a CPU worker (its device memory is the machine's, 15.6 GiB) and one reporting no device, as a
        // worker from before devices were reported does: the preview can only weigh the first two.
        var gpu = new MachineLoad(40, 1.5, 16, 30L << 30, 128L << 30, "cuda", 2L << 30);
        var cpu = new MachineLoad(12.5, 0.7, 4, 3L << 30, 16_750_372_864, "cpu", 16_750_372_864);
        var (now, lease) = (DateTime.UtcNow, TimeSpan.FromMinutes(1));
        WorkerReporter.Write(Hangfire, "gpu-3", gpu, now, lease);
        WorkerReporter.Write(Hangfire, "laptop", cpu, now, lease);
        WorkerReporter.Write(Hangfire, "old", new MachineLoad(5, 0.1, 2, 1L << 30, 4L << 30), now, lease);

        Assert.Equal(new WorkerLoad(now, gpu), WorkerReporter.Read(Hangfire, "gpu-3"));
        Assert.Equal(new WorkerLoad(now, cpu), WorkerReporter.Read(Hangfire, "laptop"));
        Assert.Equal((null, null), (WorkerReporter.Read(Hangfire, "old")!.Machine.Device, WorkerReporter.Read(Hangfire, "old")!.Machine.DeviceMemoryBytes));
        Assert.Null(WorkerReporter.Read(Hangfire, "never-reported"));

        using (var connection = Hangfire.GetConnection())
            foreach (var (name, id) in new[] { ("gpu-3", "1bb7fa27-6cdb-4fbd-a17d-7a92cb5c7921"), ("laptop", "2cc8fb38-7dec-4fbd-a17d-7a92cb5c7922"), ("old", "3dd9fc49-8efd-4fbd-a17d-7a92cb5c7923") })
                connection.AnnounceServer($"{name}:4896:{id}", new ServerContext { WorkerCount = 1, Queues = ["training"] });
        var devices = Context.Services.GetRequiredService<WorkersQuery>().LiveDevices();
        Assert.Equal([new WorkerDevice("gpu-3", "cuda", 2L << 30), new WorkerDevice("laptop", "cpu", 16_750_372_864)], devices.OrderBy(d => d.Worker));

        // The preview weighs a depth-1024 run (over 3 GiB per update) against the largest of them: the CPU worker's memory.
        var plan = SweepPlanner.Plan(new SweepRequest
        {
            Name = "memory", Envs = ["point_u_maze"], Depths = [1024], Widths = [256], BatchSizes = [256], Seeds = [1],
            Settings = QuickSweep.Settings(new { totalEnvSteps = 2_000_000 }),
        });
        Assert.Null(ComputeEstimate.Of(plan, null, devices.Count, devices).MemoryWarning);
        var gpuOnly = devices.Where(d => d.Device == "cuda").ToList();
        Assert.Equal(new WorkerDevice("gpu-3", "cuda", 2L << 30), ComputeEstimate.Of(plan, null, 1, gpuOnly).MemoryWarning!.Largest);
    }

    [Fact]
    public void A_training_process_samples_its_own_cpu_and_memory_and_no_gpu_on_the_cpu()
    {
        using var resources = new ProcessResources(onGpu: false, TimeProvider.System);
        var until = DateTime.UtcNow.AddMilliseconds(300);
        double spin = 0;
        while (DateTime.UtcNow < until) spin += Math.Sqrt(spin + 1);
        var sample = resources.Sample();

        // Shared test machines give the spin an unknown share of a core: busy, and at most every core.
        Assert.InRange(sample[MetricNames.CpuUtilization], 1e-3, 100.0 + 1e-9);
        Assert.InRange(sample[MetricNames.ResidentMemory], 10, 1 << 20);
        Assert.True(sample[MetricNames.PeakResidentMemory] >= sample[MetricNames.ResidentMemory]);
        Assert.False(sample.ContainsKey(MetricNames.GpuMemory));
        Assert.True(spin > 0);
    }

    private static void OpenTab(IRenderedComponent<RunPage> page, string title) =>
        page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == title).Click();

    private static Run NewRun(RunState state, double progress, int startedMinutesAgo) => new()
    {
        Env = "point_u_maze", ActorDepth = 4, CriticDepth = 4, ActorWidth = 64, CriticWidth = 64, BatchSize = 32, Seed = 1,
        ConfigJson = "{\"env\":\"point_u_maze\"}", State = state, Progress = progress,
        CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow.AddMinutes(-startedMinutesAgo),
    };
}

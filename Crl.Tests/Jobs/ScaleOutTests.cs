using System.Text.RegularExpressions;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>
/// Scale-out on PostgreSQL: a web server and standalone worker processes share one database (results and Hangfire's
/// queue) and one data directory, as they would on several machines.
/// </summary>
[Trait(Lanes.Trait, Lanes.Slow)]
[Collection(DashboardCollection.Name)]
public sealed class ScaleOutTests
{
    private static async Task<Dictionary<string, string?>> PostgresSettingsAsync(string purpose, Dictionary<string, string?>? more = null)
    {
        var server = await PostgresServer.StartedAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Crl:Database:Provider"] = "Postgres",
            ["Crl:Database:ConnectionString"] = await server.CreateDatabaseAsync(purpose),
            ["Crl:Workers:InProcess"] = "false",
            ["Crl:Workers:Slots"] = "1",
            // Two training processes share this machine's two cores.
            ["Crl:Training:Threads"] = "1",
        };
        foreach (var (key, value) in more ?? []) settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task Two_worker_processes_drain_one_sweep_from_one_postgres_database_and_no_run_is_executed_twice()
    {
        var settings = await PostgresSettingsAsync("scale_out");
        using var shared = new TempDirectory("crl-shared");
        settings["Crl:DataDirectory"] = shared.Combine("data");
        // Every machine starts at once on the empty database: three processes race to create the results tables
        // and Hangfire's schema. Worker b has its settings on its command line alone, so its training processes
        // find PostgreSQL only if they are given the worker's whole configuration.
        using var a = WorkerProcess.Start("worker-a", shared.Combine("data"), settings);
        using var b = WorkerProcess.Start("worker-b", shared.Combine("data"), new Dictionary<string, string?>(),
            [.. settings.Select(s => $"--{s.Key}={s.Value}")]);
        await using var dashboard = await RunningDashboard.StartAsync(settings);
        using var api = new ApiClient(dashboard);
        var storage = dashboard.Service<JobStorage>();
        await Eventually.ReturnsAsync(() => Task.FromResult(JobServers.Live(storage, TimeSpan.FromMinutes(1)).Count), n => n == 2,
            TimeSpan.FromSeconds(90), $"both workers registering with Hangfire\nworker-a:\n{a.Output}\nworker-b:\n{b.Output}");

        var health = await api.GetJsonAsync("/healthz");
        foreach (var check in new[] { "database", "hangfire" })
            Assert.Equal("Healthy", health.GetProperty("checks").GetProperty(check).GetProperty("status").GetString());

        var (_, sweep) = await api.PostJsonAsync("/api/sweeps", QuickSweep.Request(seeds: [1, 2, 3, 4, 5, 6], epochs: 1));
        var ids = sweep.GetProperty("runIds").EnumerateArray().Select(r => r.GetInt64()).ToList();
        Assert.Equal(6, ids.Count);
        foreach (var id in ids)
            await api.WaitForRunAsync(id, r => ApiClient.State(r).IsFinished(), "finishing on one of the two workers", seconds: 400);

        await using var db = await dashboard.Service<IDbContextFactory<ExperimentDb>>().CreateDbContextAsync();
        var runs = await db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id)).OrderBy(r => r.Id).ToListAsync();
        var logs = a.Output + b.Output;
        foreach (var run in runs)
        {
            Assert.True(run.State == RunState.Succeeded, $"run {run.Id} ended {run.State}: {run.Error}\n{logs}");
            Assert.Equal(1, run.Attempts);
            Assert.Single(Regex.Matches(logs, $@"\bRun {run.Id} starts on "));
            await JobServerTests.AssertOnePointPerStepAsync(dashboard, run.Id, expectedEvaluations: 2);

            var files = dashboard.Service<RunFiles>();
            var checkpoints = await db.Checkpoints.AsNoTracking().Where(c => c.RunId == run.Id).ToListAsync();
            Assert.NotEmpty(checkpoints);
            Assert.All(checkpoints, c => Assert.True(File.Exists(files.Resolve(c.RelativePath)), $"{c.RelativePath} is missing"));
            Assert.True(Path.Exists(files.LatestCheckpoint(run.Id)), $"run {run.Id} has no resumable checkpoint");
        }
        Assert.Equal(["worker-a", "worker-b"], runs.Select(r => r.LeaseOwner).Distinct().Order());
        Assert.False(File.Exists(Path.Combine(shared.Combine("data"), "crl.db")), $"a training process looked for its run in SQLite\n{logs}");

        var monitoring = storage.GetMonitoringApi();
        Assert.Equal(6, monitoring.SucceededListCount());
        Assert.Equal(0, monitoring.FailedCount());
    }

    [Fact]
    public async Task A_run_whose_job_was_fetched_by_a_worker_that_died_before_taking_the_lease_gets_a_fresh_job()
    {
        var settings = await PostgresSettingsAsync("orphaned_job", new()
        {
            ["Crl:Workers:HeartbeatInterval"] = "00:00:00.5",
            ["Crl:Workers:LeaseTimeout"] = "00:00:04",
        });
        await using var dashboard = await RunningDashboard.StartAsync(settings);
        using var api = new ApiClient(dashboard);
        var (_, sweep) = await api.PostJsonAsync("/api/sweeps", QuickSweep.Request(epochs: 1));
        var id = sweep.GetProperty("runIds")[0].GetInt64();

        // The run gets its job before any worker runs (any worker's dispatcher would do the same).
        var dispatcher = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<RunDispatcher>(dashboard.App.Services);
        Assert.Equal(1, await dispatcher.DispatchAsync(CancellationToken.None));
        var jobId = (await RunRowAsync(dashboard, id)).JobId!;

        // Hold the run's row so that the first worker fetches the job and then waits to take the lease; kill it there.
        await using (var blocker = new NpgsqlConnection(settings["Crl:Database:ConnectionString"]))
        {
            await blocker.OpenAsync();
            await using var hold = await blocker.BeginTransactionAsync();
            await using (var select = new NpgsqlCommand("""SELECT 1 FROM "Runs" WHERE "Id" = @id FOR UPDATE""", blocker, hold))
            {
                select.Parameters.AddWithValue("id", id);
                await select.ExecuteScalarAsync();
            }
            using (var first = WorkerProcess.Start("worker-a", dashboard.DataDirectory, settings))
            {
                try
                {
                    await Eventually.ReturnsAsync(() => Task.FromResult(BlockedOnRunRow(blocker)), n => n == 1, TimeSpan.FromSeconds(90), "worker-a's job waiting for the run's row");
                }
                catch (TimeoutException e)
                {
                    throw new TimeoutException($"{e.Message}\n{first.Output}");
                }
                Assert.Equal("Processing", JobState(dashboard, jobId));
                first.KillHard();
            }
            // The server drops the dead worker's session (client_connection_check_interval); only then let go.
            await Eventually.ReturnsAsync(() => Task.FromResult(BlockedOnRunRow(blocker)), n => n == 0, TimeSpan.FromSeconds(30), "the dead worker's session ending");
            await hold.RollbackAsync();
        }
        var stranded = await RunRowAsync(dashboard, id);
        Assert.Equal(RunState.Queued, stranded.State);
        Assert.Equal(jobId, stranded.JobId);

        // Hangfire.PostgreSql would hide the fetched job for its whole invisibility timeout (5 minutes here);
        // the second worker's recovery sees its server is dead and gives the run a fresh job at once.
        using var second = WorkerProcess.Start("worker-b", dashboard.DataDirectory, settings);
        var finished = await api.WaitForRunAsync(id, r => ApiClient.State(r).IsFinished(), "finishing on worker-b", seconds: 150);

        Assert.True(ApiClient.State(finished) == RunState.Succeeded, $"run ended {ApiClient.State(finished)}: {finished.GetProperty("error")}\n{second.Output}");
        Assert.Equal("worker-b", finished.GetProperty("worker").GetString());
        Assert.Equal(1, finished.GetProperty("attempts").GetInt32());
        Assert.NotEqual(jobId, (await RunRowAsync(dashboard, id)).JobId);
        Assert.Equal("Deleted", JobState(dashboard, jobId));
        await JobServerTests.AssertOnePointPerStepAsync(dashboard, id, expectedEvaluations: 2);
    }

    private static async Task<Run> RunRowAsync(RunningDashboard dashboard, long id)
    {
        await using var db = await dashboard.Service<IDbContextFactory<ExperimentDb>>().CreateDbContextAsync();
        return await db.Runs.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    // From a connection of its own: inside the blocker's transaction pg_stat_activity would stay as first read.
    private static long BlockedOnRunRow(NpgsqlConnection blocker)
    {
        using var connection = new NpgsqlConnection(blocker.ConnectionString);
        connection.Open();
        using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)count.ExecuteScalar()!;
    }

    private static string? JobState(RunningDashboard dashboard, string jobId)
    {
        using var connection = dashboard.Service<JobStorage>().GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }
}

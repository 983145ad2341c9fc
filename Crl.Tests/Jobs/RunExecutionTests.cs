using Crl.Core.Training;
using Crl.Jobs.Hosting;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>
/// What a training process does with a run, in this process: two workers with different hardware settings share one
/// data directory, the first is stopped mid-run and the second resumes it.
/// </summary>
[Trait(Lanes.Trait, Lanes.Slow)]
public sealed class RunExecutionTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly List<ServiceProvider> workers = [];

    [Fact]
    public async Task A_resumed_run_trains_with_the_resuming_workers_threads_not_the_checkpoints()
    {
        var a = await WorkerAsync(threads: 1);
        var b = await WorkerAsync(threads: 2);
        // Epochs long enough (200 updates each, about half a second) that the run cannot finish between its first
        // checkpoint and the stop: the quick run's own epochs took tens of milliseconds on a quiet machine.
        const int epochs = 4;
        var request = QuickSweep.Request(epochs: epochs);
        request.Settings!["numSgdBatchesPerTrainingStep"] = System.Text.Json.JsonSerializer.SerializeToElement(200);
        var sweep = await a.GetRequiredService<RunQueue>().LaunchAsync(request);
        long id;
        await using (var db = await a.GetRequiredService<IDbContextFactory<ExperimentDb>>().CreateDbContextAsync())
            id = await db.Runs.Where(r => r.SweepId == sweep.Id).Select(r => r.Id).SingleAsync();
        var latest = a.GetRequiredService<RunFiles>().LatestCheckpoint(id);

        // Worker a trains until its first checkpoint is recorded, then is stopped (as at a shutdown) and hands the run back.
        Assert.True(await a.GetRequiredService<RunLease>().TryClaimAsync(id, "worker-a", CancellationToken.None));
        // Asked once before training too: the first query of a process compiles EF's model and query (seconds on a cold
        // start), which must not fall between the first checkpoint and the stop.
        Assert.Equal(0, await CheckpointsAsync(a, id));
        using (var stop = new CancellationTokenSource())
        {
            var stopped = Task.Run(() => a.GetRequiredService<RunExecution>().Execute(id, "worker-a", stop.Token));
            await Eventually.ReturnsAsync(() => CheckpointsAsync(a, id), n => n > 0 || stopped.IsCompleted, TimeSpan.FromSeconds(120), "worker-a's first checkpoint");
            stop.Cancel();
            Assert.Equal(RunOutcome.Stopped, await stopped);
        }
        await a.GetRequiredService<RunLease>().ReleaseAsync(id, "worker-a", CancellationToken.None);
        var handedBack = CrlCheckpoint.ReadState(latest);
        Assert.Equal(1, handedBack.Config.TorchThreads);
        Assert.InRange(handedBack.Counters.Epoch, 1, epochs - 1);

        Assert.True(await b.GetRequiredService<RunLease>().TryClaimAsync(id, "worker-b", CancellationToken.None));
        Assert.Equal(RunOutcome.Succeeded, b.GetRequiredService<RunExecution>().Execute(id, "worker-b", CancellationToken.None));

        var finished = CrlCheckpoint.ReadState(latest);
        Assert.Equal(epochs, finished.Counters.Epoch);
        Assert.Equal(2, finished.Config.TorchThreads);
    }

    /// <summary>A worker's services on the shared data directory, its database migrated.</summary>
    private async Task<ServiceProvider> WorkerAsync(int threads)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Crl:DataDirectory"] = temp.Combine("data"),
            ["Crl:Training:Device"] = "cpu",
            ["Crl:Training:Threads"] = threads.ToString(),
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddCrlOptions(configuration, temp.Path)
            .AddCrlPersistence()
            .AddSingleton<RunLease>()
            .AddSingleton<RunQueue>()
            .AddSingleton<RunExecution>()
            .BuildServiceProvider();
        workers.Add(services);
        foreach (var migrator in services.GetServices<IHostedService>().OfType<DatabaseMigrator>())
            await migrator.StartAsync(CancellationToken.None);
        return services;
    }

    private static async Task<int> CheckpointsAsync(IServiceProvider worker, long runId)
    {
        await using var db = await worker.GetRequiredService<IDbContextFactory<ExperimentDb>>().CreateDbContextAsync();
        return await db.Checkpoints.CountAsync(c => c.RunId == runId);
    }

    public void Dispose()
    {
        foreach (var worker in workers) worker.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        temp.Dispose();
    }
}

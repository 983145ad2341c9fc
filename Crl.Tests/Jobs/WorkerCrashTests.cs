using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>A worker killed with SIGKILL mid-run loses no finished work: another worker resumes the run from its checkpoint.</summary>
[Trait(Lanes.Trait, Lanes.Slow)]
[Collection(DashboardCollection.Name)]
public class WorkerCrashTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Crl:Workers:InProcess"] = "false",
        ["Crl:Workers:HeartbeatInterval"] = "00:00:00.5",
        ["Crl:Workers:LeaseTimeout"] = "00:00:04",
    };

    [Fact]
    public async Task A_run_whose_worker_is_killed_is_resumed_by_another_worker_without_duplicated_or_lost_points()
    {
        await using var dashboard = await RunningDashboard.StartAsync(Settings);
        using var api = new ApiClient(dashboard);
        var (_, sweep) = await api.PostJsonAsync("/api/sweeps", QuickSweep.Request(epochs: 10));
        var id = sweep.GetProperty("runIds")[0].GetInt64();

        using (var first = WorkerProcess.Start("worker-a", dashboard.DataDirectory, Settings))
        {
            await api.WaitForRunAsync(id, r => r.GetProperty("epochsDone").GetInt32() >= 3, "three epochs on worker-a");
            first.KillHard();
        }
        var interrupted = await api.RunAsync(id);
        Assert.Equal(RunState.Running, ApiClient.State(interrupted));
        Assert.Equal("worker-a", interrupted.GetProperty("worker").GetString());

        using var second = WorkerProcess.Start("worker-b", dashboard.DataDirectory, Settings);
        var finished = await api.WaitForRunAsync(id, r => ApiClient.State(r).IsFinished(), "finishing on worker-b");

        Assert.True(ApiClient.State(finished) == RunState.Succeeded, $"run ended {ApiClient.State(finished)}: {finished.GetProperty("error")}\n{second.Output}");
        Assert.Equal("worker-b", finished.GetProperty("worker").GetString());
        Assert.Equal(2, finished.GetProperty("attempts").GetInt32());
        Assert.Equal(10, finished.GetProperty("epochsDone").GetInt32());
        await JobServerTests.AssertOnePointPerStepAsync(dashboard, id, expectedEvaluations: 11);
    }
}

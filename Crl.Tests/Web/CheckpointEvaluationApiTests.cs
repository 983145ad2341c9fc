using System.Net;
using System.Text;
using System.Text.Json;
using Crl.Core.Training;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Crl.Tests.Web;

/// <summary><c>POST /api/runs/{id}/checkpoints/{cid}/evaluate</c> on the real dashboard: results, and 4xx for what does not fit.</summary>
[Collection(DashboardCollection.Name)]
public class CheckpointEvaluationApiTests
{
    // Starts the whole dashboard and evaluates three times: about 20 s on the shared machines.
    [Fact]
    [Trait(Lanes.Trait, Lanes.Slow)]
    public async Task A_kept_checkpoint_is_evaluated_with_the_runs_settings_or_the_requested_ones()
    {
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?> { ["Crl:Workers:InProcess"] = "false" });
        using var api = new ApiClient(dashboard);
        var sweep = await dashboard.Service<RunQueue>().LaunchAsync(QuickSweep.Request(seeds: [1, 2]));
        var (run, other) = (sweep.Runs[0], sweep.Runs[1]);
        var files = dashboard.Service<RunFiles>();
        var directory = Path.Combine(files.CheckpointRoot(run.Id), CheckpointSchedule.DirectoryName(1));
        using (var trainer = new CrlTrainer(StoredConfig.Read(run.ConfigJson) with { Device = "cpu", TorchThreads = 1 })) trainer.SaveCheckpoint(directory);
        var archive = CheckpointArchive.Pack(directory);
        long kept, gone;
        await using (var db = await dashboard.Service<IDbContextFactory<ExperimentDb>>().CreateDbContextAsync())
        {
            var a = new Checkpoint { RunId = run.Id, Epoch = 1, RelativePath = files.Relative(archive.Path), Sha256 = archive.Sha256, CreatedAt = DateTime.UtcNow };
            var b = new Checkpoint { RunId = run.Id, Epoch = 2, RelativePath = "runs/gone.zip", Sha256 = "", CreatedAt = DateTime.UtcNow };
            db.Checkpoints.AddRange(a, b);
            await db.SaveChangesAsync();
            (kept, gone) = (a.Id, b.Id);
        }
        var path = $"/api/runs/{run.Id}/checkpoints/{kept}/evaluate";

        // No body: the quick run's own settings, on point_u_maze's eval goals.
        var (status, result) = await api.PostJsonAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("point_u_maze_eval", 16, 100, "policy"), (result.GetProperty("env").GetString(), result.GetProperty("episodes").GetInt32(),
            result.GetProperty("episodeLength").GetInt32(), result.GetProperty("actionSelection").GetString()));
        Assert.InRange(result.GetProperty("timeAtGoal").GetDouble(), 0, 100);
        Assert.Equal(result.GetProperty("timeAtGoal").GetDouble() / 100, result.GetProperty("timeAtGoalFraction").GetDouble(), 9);
        Assert.True(result.GetProperty("episodeDist").GetDouble() > 0);

        (status, result) = await api.PostJsonAsync(path, new { env = "point_u_maze", episodes = 3, actionSelection = "argmax-q:2", seed = 5 });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("point_u_maze", 3, "argmax-q:2"), (result.GetProperty("env").GetString(), result.GetProperty("episodes").GetInt32(), result.GetProperty("actionSelection").GetString()));

        (status, result) = await api.PostJsonAsync(path, new { env = "reacher", episodes = 0, actionSelection = "best" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = result.GetProperty("errors");
        Assert.Contains("episodes must be in [1, 65536]; got 0", errors.GetProperty("episodes")[0].GetString());
        Assert.Contains("actionSelection must be policy, or argmax-q:K", errors.GetProperty("actionSelection")[0].GetString());
        Assert.Contains("env must have the checkpoint's state, goal and action dims", errors.GetProperty("env")[0].GetString());

        var malformed = await api.Http.PostAsync(path, new StringContent("{\"episodes\": \"many\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("episodes", await malformed.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await api.PostJsonAsync($"/api/runs/{other.Id}/checkpoints/{kept}/evaluate")).Status);
        Assert.Equal(HttpStatusCode.Gone, (await api.PostJsonAsync($"/api/runs/{run.Id}/checkpoints/{gone}/evaluate")).Status);
        Assert.True(File.Exists(archive.Path)); // evaluation unpacks a copy and leaves the kept zip alone
    }
}

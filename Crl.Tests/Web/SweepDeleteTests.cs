using System.Net;
using System.Text.Json;
using Crl.Jobs.Accounts;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>
/// <c>DELETE /api/sweeps/{id}</c> on a running dashboard: a member removes their own finished sweep with its rows and
/// files, is refused another member's, and is told to cancel first while a run trains.
/// </summary>
[Collection(DashboardCollection.Name)]
public class SweepDeleteTests
{
    private const string Password = "password for delete tests";

    [Fact]
    public async Task A_member_deletes_their_own_finished_sweep_but_not_another_members_nor_one_that_is_training()
    {
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?> { ["Crl:Workers:InProcess"] = "false" });
        var accounts = dashboard.Service<UserAccounts>();
        var mo = await accounts.AddAsync("mo", UserRole.Member, Password);
        await accounts.AddAsync("otto", UserRole.Member, Password);
        var queue = dashboard.Service<RunQueue>();
        var files = dashboard.Service<RunFiles>();
        var dbFactory = dashboard.Service<IDbContextFactory<ExperimentDb>>();
        using var moClient = await dashboard.SignedInClientAsync("mo", Password);
        using var ottoClient = await dashboard.SignedInClientAsync("otto", Password);

        // A sweep that has trained: succeeded runs with metrics, a checkpoint row, and files under the data directory.
        var finished = await queue.LaunchAsync(QuickSweep.Request(seeds: [1, 2]), mo.Id);
        var runIds = finished.Runs.Select(r => r.Id).ToList();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Runs.Where(r => r.SweepId == finished.Id).ExecuteUpdateAsync(set => set.SetProperty(r => r.State, RunState.Succeeded));
            foreach (var id in runIds)
            {
                db.MetricPoints.Add(new MetricPoint { RunId = id, Name = "eval/time_at_goal", Step = 1000, Value = 12 });
                var checkpoint = Path.Combine(files.CheckpointRoot(id), "epoch-1.pt");
                Directory.CreateDirectory(Path.GetDirectoryName(checkpoint)!);
                await File.WriteAllTextAsync(checkpoint, "weights");
                await File.WriteAllTextAsync(files.TrainLog(id), "log");
                db.Checkpoints.Add(new Checkpoint { RunId = id, Epoch = 1, RelativePath = files.Relative(checkpoint), Sha256 = "00" });
            }
            await db.SaveChangesAsync();
        }

        // Another member may not.
        var (status, detail) = await DeleteAsync(ottoClient, finished.Id);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("role", detail);
        Assert.Equal(6, await CountAsync(dbFactory, runIds)); // 2 runs, 2 metric points, 2 checkpoints

        // While a run trains, the owner is told to cancel first and nothing changes.
        var training = await queue.LaunchAsync(QuickSweep.Request(seeds: [1, 2]), mo.Id);
        await using (var db = await dbFactory.CreateDbContextAsync())
            await db.Runs.Where(r => r.Id == training.Runs[0].Id).ExecuteUpdateAsync(set => set.SetProperty(r => r.State, RunState.Running));
        (status, detail) = await DeleteAsync(moClient, training.Id);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("cancel it first", detail);
        await using (var db = await dbFactory.CreateDbContextAsync())
            Assert.Equal([RunState.Running, RunState.Queued],
                await db.Runs.Where(r => r.SweepId == training.Id).OrderBy(r => r.Id).Select(r => r.State).ToListAsync());

        // The owner removes the finished one: rows and files are gone, and a second delete finds nothing.
        (status, _) = await DeleteAsync(moClient, finished.Id);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, await CountAsync(dbFactory, runIds));
        await using (var db = await dbFactory.CreateDbContextAsync())
            Assert.False(await db.Sweeps.AnyAsync(s => s.Id == finished.Id));
        Assert.All(runIds, id => Assert.False(Directory.Exists(files.RunDirectory(id)), files.RunDirectory(id)));
        Assert.Equal(HttpStatusCode.NotFound, (await moClient.GetAsync($"/api/sweeps/{finished.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await DeleteAsync(moClient, finished.Id)).Status);
        // The other sweep is untouched.
        Assert.Equal(HttpStatusCode.OK, (await moClient.GetAsync($"/api/sweeps/{training.Id}")).StatusCode);
    }

    /// <summary>Runs, metric points and checkpoint rows left of these runs.</summary>
    private static async Task<int> CountAsync(IDbContextFactory<ExperimentDb> dbFactory, List<long> runIds)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Runs.CountAsync(r => runIds.Contains(r.Id))
            + await db.MetricPoints.CountAsync(p => runIds.Contains(p.RunId))
            + await db.Checkpoints.CountAsync(c => runIds.Contains(c.RunId));
    }

    private static async Task<(HttpStatusCode Status, string Detail)> DeleteAsync(HttpClient client, long sweepId)
    {
        // As the dashboard's pages send it: cookie callers must come from the site's origin.
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/sweeps/{sweepId}");
        request.Headers.Add("Origin", client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var detail = text.Length > 0 && JsonDocument.Parse(text).RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
        return (response.StatusCode, detail);
    }
}

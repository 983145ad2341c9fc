using Bunit;
using Crl.Core.Training;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Tests.Core.Training;
using Crl.Tests.Support;
using Crl.Web.Components.Pages;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>The run page evaluates a kept checkpoint on the run's eval goals, from the zip the database names.</summary>
[Collection(TrainerCollection.Name)]
public class RunPageEvaluationTests : PageTestBase
{
    private long runId, checkpointId;
    private static readonly CrlConfig Config = CrlTrainerTests.Tiny() with { NumEvalEnvs = 5 };

    protected override async Task SeedAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var run = new Run
        {
            Env = Config.Env, ActorDepth = 4, CriticDepth = 4, ActorWidth = 32, CriticWidth = 32, BatchSize = 32, Seed = 42,
            ConfigJson = StoredConfig.Write(Config), State = RunState.Succeeded, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        runId = run.Id;

        // A kept checkpoint as the recorder leaves it: a zip under the run's checkpoint folder.
        var directory = Path.Combine(Files.CheckpointRoot(runId), CheckpointSchedule.DirectoryName(1));
        using (var trainer = new CrlTrainer(Config)) trainer.SaveCheckpoint(directory);
        var archive = CheckpointArchive.Pack(directory);
        var checkpoint = new Checkpoint
        {
            RunId = runId, Epoch = 1, EnvSteps = 800, RelativePath = Files.Relative(archive.Path), SizeBytes = archive.SizeBytes,
            Sha256 = archive.Sha256, CreatedAt = DateTime.UtcNow,
        };
        db.Checkpoints.Add(checkpoint);
        await db.SaveChangesAsync();
        checkpointId = checkpoint.Id;
    }

    [Fact]
    public void Evaluate_on_the_eval_goals_shows_time_at_goal_success_and_distance()
    {
        var page = Context.Render<RunPage>(p => p.Add(x => x.Id, runId));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll($"[data-testid=evaluate-{checkpointId}]")));
        Assert.Contains("evaluate on the eval goals", page.Find($"[data-testid=evaluate-{checkpointId}]").TextContent);

        page.Find($"[data-testid=evaluate-{checkpointId}]").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=checkpoint-evaluation]")), TimeSpan.FromSeconds(30));
        var text = page.Find("[data-testid=checkpoint-evaluation]").TextContent;
        Assert.Contains("Epoch 1 on point_u_maze_eval, 5 episodes, actions by policy", text);
        Assert.Matches(@"time at goal \d+\.\d of 30 steps", text);
        Assert.Contains("success", text);
        Assert.Contains("distance", text);
        // The zip stays where it was; only a temporary copy was unpacked.
        Assert.True(File.Exists(Files.Resolve(Files.Relative(Path.Combine(Files.CheckpointRoot(runId), CheckpointSchedule.DirectoryName(1) + ".zip")))));
    }
}

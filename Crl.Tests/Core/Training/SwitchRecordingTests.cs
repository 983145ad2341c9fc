using System.Text.Json;
using System.Text.Json.Nodes;
using Crl.Core.Checkpoints;
using Crl.Core.Networks;
using Crl.Core.Training;
using Xunit;

namespace Crl.Tests.Core.Training;

/// <summary>A run with every ablation switch away from the paper's setting trains, and its checkpoint and export say so.</summary>
[Collection(TrainerCollection.Name)]
public class SwitchRecordingTests
{
    static readonly string[] NewKeys =
        ["RepresentationDim", "Activation", "Residual", "UseAllBatches", "EvalActionSelection", "CollectActionSelection", "Entropy"];

    [Fact]
    public void A_run_with_every_switch_trains_and_records_them_in_its_checkpoint_and_export()
    {
        var root = Directory.CreateTempSubdirectory("crl-switches-").FullName;
        try
        {
            var config = CrlTrainerTests.Tiny(epochs: 1) with
            {
                RepresentationDim = 16, Activation = Activation.Relu, Residual = false, Entropy = false, UseAllBatches = true,
                CollectActionSelection = "argmax-q:4", EvalActionSelection = "argmax-q:2",
            };
            var observer = new RecordingObserver();
            using (var trainer = new CrlTrainer(config))
                trainer.Run(observer, checkpointDirectory: root);

            // Every full batch of one 30-step window per env: 16 × 29 / 32 = 14 updates per training step, 2 steps.
            Assert.Equal(14, config.UpdatesPerTrainingStep);
            Assert.Equal(28L, observer.Reports[^1].Updates);
            Assert.All(observer.Reports[^1].Values.Values, v => Assert.True(double.IsFinite(v)));
            Assert.Equal(1.0, observer.Reports[^1].Values[MetricNames.Alpha], 6); // α is not trained without the entropy term

            var latest = Path.Combine(root, CheckpointSchedule.Latest);
            Assert.Equal(config, CrlCheckpoint.ReadState(latest).Config);
            var (tensors, metadata) = SafeTensors.Load(Path.Combine(latest, PolicyExport.FileName));
            foreach (var t in tensors.Values) t.Dispose();
            Assert.Equal(("relu", "false"), (metadata["activation"], metadata["residual"]));
            var exported = JsonNode.Parse(metadata["config"])!;
            Assert.Equal(16, exported["RepresentationDim"]!.GetValue<int>());
            Assert.Equal("argmax-q:4", exported["CollectActionSelection"]!.GetValue<string>());
            Assert.False(exported["Entropy"]!.GetValue<bool>());

            using var resumed = CrlTrainer.Resume(latest);
            Assert.Equal(config, resumed.Config);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_checkpoint_written_before_the_switches_existed_resumes_with_the_papers_settings()
    {
        var root = Directory.CreateTempSubdirectory("crl-old-checkpoint-").FullName;
        try
        {
            var config = CrlTrainerTests.Tiny(epochs: 1);
            using (var trainer = new CrlTrainer(config)) trainer.SaveCheckpoint(root);
            // trainer.json as an older build wrote it: no key for any switch.
            var statePath = Path.Combine(root, "trainer.json");
            var state = JsonNode.Parse(File.ReadAllText(statePath))!;
            var stored = state["Config"]!.AsObject();
            foreach (var key in NewKeys) Assert.True(stored.Remove(key), key);
            File.WriteAllText(statePath, state.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

            Assert.Equal(config, CrlCheckpoint.ReadState(root).Config);
            using var resumed = CrlTrainer.Resume(root);
            Assert.Equal((64, Activation.Swish, true, true), (resumed.Agent.Spec.RepresentationDim, resumed.Agent.Spec.Activation, resumed.Agent.Spec.Residual, resumed.Agent.Spec.Entropy));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

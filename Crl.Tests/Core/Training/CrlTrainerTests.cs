using Crl.Core.Checkpoints;
using Crl.Core.Training;
using Crl.Tests.Support;
using Xunit;

namespace Crl.Tests.Core.Training;

[Collection(TrainerCollection.Name)]
public class CrlTrainerTests
{
    /// <summary>A run small enough for a unit test: 16 envs, 30-step episodes, 4 updates per training step.</summary>
    internal static CrlConfig Tiny(int epochs = 2) => new()
    {
        Env = "point_u_maze",
        ActorWidth = 32, CriticWidth = 32, ActorDepth = 4, CriticDepth = 4,
        BatchSize = 32, NumEnvs = 16, UnrollLength = 10, EpisodeLength = 30,
        MinReplaySize = 30, MaxReplaySize = 200, NumSgdBatchesPerTrainingStep = 4,
        TotalEnvSteps = 16 * 30 + epochs * 2 * 16 * 10, NumEpochs = epochs, NumEvalEnvs = 8,
        Seed = 42, Device = "cpu", TorchThreads = 1,
    };

    static readonly string[] TimeDependent = [MetricNames.Sps, MetricNames.WallTime, MetricNames.EvalTime, MetricNames.EvalSps];

    [Fact]
    public void Reports_every_epoch_with_the_spec_metric_names_and_counters()
    {
        using var trainer = new CrlTrainer(Tiny());
        var observer = new RecordingObserver();

        var counters = trainer.Run(observer);

        // Prefill ⌈30/10⌉ = 3 unrolls, then 2 training steps per epoch of 16 × 10 env steps.
        Assert.Equal(2, trainer.Config.TrainingStepsPerEpoch);
        Assert.Equal([0, 1, 2], observer.Reports.Select(r => r.Epoch));
        Assert.Equal([480L, 800L, 1120L], observer.Reports.Select(r => r.EnvSteps));
        Assert.Equal([0L, 8L, 16L], observer.Reports.Select(r => r.Updates));
        Assert.Equal(new TrainingCounters(2, 1120, 4, 16, counters.WallTimeSeconds), counters);
        var last = observer.Reports[^1].Values;
        Assert.All(MetricNames.All, name => Assert.True(last.ContainsKey(name), name));
        Assert.All(last.Values, v => Assert.True(double.IsFinite(v)));
        Assert.InRange(last[MetricNames.EpisodeSuccess], 0, 30);
        Assert.Equal(30, last[MetricNames.AvgEpisodeLength]);
        Assert.True(last[MetricNames.EpisodeDist] > 0);
        Assert.True(last[MetricNames.LogitsPos] != 0 && last[MetricNames.LogitsNeg] != 0);
    }

    [Fact]
    public void Same_seed_gives_identical_first_epoch_metrics()
    {
        Dictionary<string, double> FirstEpoch()
        {
            using var trainer = new CrlTrainer(Tiny(epochs: 1));
            var observer = new RecordingObserver();
            trainer.Run(observer);
            return observer.Reports.Single(r => r.Epoch == 1).Values.Where(kv => !TimeDependent.Contains(kv.Key)).ToDictionary();
        }

        var a = FirstEpoch();
        var b = FirstEpoch();

        Assert.Equal(a, b);
    }

    [Fact]
    public void A_different_seed_gives_different_metrics()
    {
        double CriticLoss(long seed)
        {
            using var trainer = new CrlTrainer(Tiny(epochs: 1) with { Seed = seed });
            var observer = new RecordingObserver();
            trainer.Run(observer);
            return observer.Reports[^1].Values[MetricNames.CriticLoss];
        }
        Assert.NotEqual(CriticLoss(1), CriticLoss(2));
    }

    [Fact]
    public void Resume_continues_counters_and_weights_without_repeating_epochs()
    {
        var root = Directory.CreateTempSubdirectory("crl-resume-").FullName;
        try
        {
            var observer = new RecordingObserver();
            using (var trainer = new CrlTrainer(Tiny(epochs: 3)))
                trainer.Run(observer, checkpointDirectory: root);
            var fromEpoch2 = Path.Combine(root, CheckpointSchedule.DirectoryName(2));
            Assert.Contains(observer.Checkpoints, c => c.Kept && c.Directory == fromEpoch2);
            Assert.True(Directory.Exists(Path.Combine(root, CheckpointSchedule.Latest)));

            using var resumed = CrlTrainer.Resume(fromEpoch2);
            Assert.Equal(observer.Reports.Single(r => r.Epoch == 2).EnvSteps, resumed.Counters.EnvSteps);
            Assert.Equal(2, resumed.Counters.Epoch);
            Assert.Equal(16, resumed.Counters.Updates);
            var (saved, _) = SafeTensors.Load(Path.Combine(fromEpoch2, PolicyExport.FileName));
            foreach (var (name, parameter) in resumed.Agent.Actor.named_parameters())
                Assert.Equal(saved[name].data<float>().ToArray(), parameter.data<float>().ToArray());

            var after = new RecordingObserver();
            var counters = resumed.Run(after);

            var original = observer.Reports.Single(r => r.Epoch == 3);
            var continued = Assert.Single(after.Reports);
            Assert.Equal(3, continued.Epoch);
            Assert.Equal(original.EnvSteps, continued.EnvSteps);
            Assert.Equal(original.Updates, continued.Updates);
            Assert.True(continued.WallTimeSeconds > observer.Reports.Single(r => r.Epoch == 2).WallTimeSeconds);
            Assert.Equal(3, counters.Epoch);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Cancellation_stops_the_run()
    {
        using var trainer = new CrlTrainer(Tiny());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => trainer.Run(new RecordingObserver(), cancelled.Token));
    }

    /// <summary>
    /// CRL on the U-maze with short episodes: the untrained policy never reaches its goal; after ~4,000 updates
    /// (about 45 s on one core) it spends a clearly positive number of steps at the goal.
    /// </summary>
    [Fact]
    [Trait(Lanes.Trait, Lanes.Slow)]
    public void Learns_to_reach_goals_in_the_U_maze()
    {
        var config = new CrlConfig
        {
            Env = "point_u_maze",
            ActorWidth = 64, CriticWidth = 64, ActorDepth = 4, CriticDepth = 4,
            BatchSize = 256, NumEnvs = 32, UnrollLength = 25, EpisodeLength = 100,
            MinReplaySize = 100, MaxReplaySize = 2000, NumSgdBatchesPerTrainingStep = 40,
            TotalEnvSteps = 100_000, NumEpochs = 10, NumEvalEnvs = 32,
            // A faster learning rate than the paper's 3e-4 so the effect shows within a unit test's budget.
            ActorLr = 1e-3, CriticLr = 1e-3, AlphaLr = 1e-3,
            Seed = 1000, Device = "cpu", TorchThreads = 1,
        };
        using var trainer = new CrlTrainer(config);
        var observer = new RecordingObserver();

        trainer.Run(observer);

        var timeAtGoal = observer.Reports.Select(r => r.Values[MetricNames.EpisodeSuccess]).ToArray();
        var untrained = timeAtGoal[0];
        var best = timeAtGoal.Skip(1).Max();
        var finalAccuracy = observer.Reports[^1].Values[MetricNames.CategoricalAccuracy];
        var firstAccuracy = observer.Reports[1].Values[MetricNames.CategoricalAccuracy];
        Assert.True(best >= untrained + 3, $"time at goal per epoch: {string.Join(", ", timeAtGoal.Select(t => t.ToString("F1")))}");
        Assert.True(finalAccuracy > 1.5 * firstAccuracy, $"categorical accuracy {firstAccuracy:F3} → {finalAccuracy:F3}");
    }
}

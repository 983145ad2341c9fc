using Crl.Core.Training;
using Xunit;

namespace Crl.Tests.Core.Environments.MuJoCo;

/// <summary>The trainer runs a MuJoCo maze end to end through the registry, as <c>train --env ant_u4_maze</c> would.</summary>
public class MujocoTrainingTests
{
    private sealed class Reports : ITrainingObserver
    {
        public List<MetricReport> All { get; } = [];
        public void OnMetrics(MetricReport report) => All.Add(report);
    }

    [Fact]
    public void A_tiny_run_on_the_ant_u4_maze_trains_and_evaluates_on_its_eval_goals()
    {
        var config = new CrlConfig
        {
            Env = "ant_u4_maze", EvalEnv = "ant_u4_maze_eval",
            NumEnvs = 4, UnrollLength = 10, EpisodeLength = 20, MinReplaySize = 20, MaxReplaySize = 40,
            NumEpochs = 1, TotalEnvSteps = 120, NumSgdBatchesPerTrainingStep = 1, BatchSize = 16,
            ActorWidth = 16, CriticWidth = 16, NumEvalEnvs = 2, TorchThreads = 1, Device = "cpu",
        };
        using var trainer = new CrlTrainer(config);
        var reports = new Reports();
        var counters = trainer.Run(reports);
        Assert.Equal(1, counters.Epoch);
        var last = reports.All[^1];
        Assert.Equal(1, last.Epoch);
        Assert.True(last.EnvSteps >= 120);
        Assert.Contains("eval/episode_success", last.Values.Keys);
        Assert.All(last.Values.Values, v => Assert.True(double.IsFinite(v)));
    }
}

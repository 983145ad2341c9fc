using Crl.Core.Training;
using Crl.Jobs.Sweeps;
using Crl.Tests.Core.Training;
using Crl.Tests.Support;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>
/// The first run a new user queues must show a trainer that learns: its time at goal starts near zero and ends above
/// 30 % of the episode. The budget is the quick run's own (12 epochs, 6,000 updates; one to five minutes here).
/// </summary>
[Trait(Lanes.Trait, Lanes.Slow)]
public class QuickRunLearnsTests
{
    [Fact]
    public void The_quick_runs_time_at_goal_rises_from_about_zero_to_over_30_percent_of_the_episode()
    {
        var config = Assert.Single(SweepPlanner.Plan(QuickSweep.Learning()).Runs).Config with { Device = "cpu" };
        using var trainer = new CrlTrainer(config);
        var observer = new RecordingObserver();

        trainer.Run(observer);

        var timeAtGoal = observer.Reports.Select(r => r.Values[MetricNames.EpisodeSuccess] / config.EpisodeLength).ToArray();
        var curve = string.Join(", ", timeAtGoal.Select(t => t.ToString("P0")));
        Assert.True(timeAtGoal[0] < 0.05, $"the untrained policy should hardly ever be at its goal; time at goal per epoch: {curve}");
        Assert.True(timeAtGoal[^2..].Average() >= 0.3, $"the last two evaluations should average at least 30 % of the episode at the goal: {curve}");
    }
}

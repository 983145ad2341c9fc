using System.Globalization;
using Crl.Core.Training;
using Crl.Jobs.Sweeps;
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
    public async Task The_quick_runs_time_at_goal_rises_from_about_zero_to_over_30_percent_of_the_episode()
    {
        var config = Assert.Single(SweepPlanner.Plan(QuickSweep.Learning()).Runs).Config with { Device = "cpu" };
        using var output = new TempDirectory();
        // In a training process of its own, as a worker trains it: a trainer seeds libtorch's process-wide generator,
        // so one trained in this process would share its random stream with whatever else the tests train meanwhile.
        string[] knobs = [.. CrlKnobs.All
            .Select(knob => (Knob: knob, Value: knob.ValueIn(config)))
            .Where(k => !Equals(k.Value, k.Knob.Default))
            .SelectMany(k => new[] { k.Knob.Flag, Knob.Format(k.Value) })];
        using var train = ChildProcess.StartDotnet("Crl.Jobs.dll", ["train", .. knobs, "--out", output.Path, "--quiet"]);
        var exit = await train.WaitForExitAsync(TimeSpan.FromMinutes(10));
        Assert.True(exit.ExitCode == 0, $"train exited with {exit.ExitCode}: {exit.Stderr}");

        var rows = File.ReadAllLines(Path.Combine(output.Path, "metrics.csv"));
        var column = Array.IndexOf(rows[0].Split(','), MetricNames.EpisodeSuccess);
        var timeAtGoal = rows.Skip(1).Select(row => double.Parse(row.Split(',')[column], CultureInfo.InvariantCulture) / config.EpisodeLength).ToArray();
        var curve = string.Join(", ", timeAtGoal.Select(t => t.ToString("P0", CultureInfo.InvariantCulture)));
        Assert.Equal(config.NumEpochs + 1, timeAtGoal.Length);   // the untrained policy's evaluation, then one per epoch
        Assert.True(timeAtGoal[0] < 0.05, $"the untrained policy should hardly ever be at its goal; time at goal per epoch: {curve}");
        Assert.True(timeAtGoal[^2..].Average() >= 0.3, $"the last two evaluations should average at least 30 % of the episode at the goal: {curve}");
    }
}

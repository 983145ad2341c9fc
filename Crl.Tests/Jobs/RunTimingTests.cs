using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>Elapsed time and time left of runs and sweeps, from their measured rates and the live worker slots.</summary>
public class RunTimingTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_run_a_quarter_done_after_ten_minutes_has_thirty_left()
    {
        var timing = RunTiming.Of(Now.AddMinutes(-10), null, running: true, progress: 0.25, Now)!.Value;
        Assert.Equal(TimeSpan.FromMinutes(10), timing.Elapsed);
        Assert.Equal(TimeSpan.FromMinutes(30), timing.Left);
        Assert.Equal("elapsed 10m 00s · about 30m 00s left", timing.ToString());

        Assert.Null(RunTiming.Of(Now.AddSeconds(-5), null, running: true, progress: 0, Now)!.Value.Left);   // nothing measured yet
        Assert.Null(RunTiming.Of(null, null, running: false, progress: 0, Now));                            // never started
        Assert.Equal(TimeSpan.FromHours(2), RunTiming.Of(Now.AddHours(-3), Now.AddHours(-1), running: false, progress: 1, Now)!.Value.Elapsed);
        // A resumed process measures its own rate: 10 % in 6 minutes leaves 60 % in 36.
        Assert.Equal(TimeSpan.FromMinutes(36), RunTiming.Of(TimeSpan.FromHours(1), 0.4, TimeSpan.FromMinutes(6), 0.1).Left);
        Assert.Equal(["45s", "3m 12s", "2h 05m", "3d 04h"],
            new[] { TimeSpan.FromSeconds(45), new TimeSpan(0, 3, 12), new TimeSpan(2, 5, 0), new TimeSpan(3, 4, 0, 0) }.Select(RunTiming.Format));
    }

    [Fact]
    public void A_sweep_drains_its_queued_runs_at_its_measured_rate_over_the_live_slots()
    {
        // Four identical runs: one took 10 minutes, one is half done after 5 (5 left), two wait.
        List<Run> runs =
        [
            Run(1, RunState.Succeeded, 1, Now.AddMinutes(-15), Now.AddMinutes(-5)),
            Run(2, RunState.Running, 0.5, Now.AddMinutes(-5), null),
            Run(3, RunState.Queued, 0, null, null),
            Run(4, RunState.Queued, 0, null, null),
        ];
        // One slot: 5 minutes for the running run, then 10 + 10.
        var one = SweepTiming.Of(runs, liveSlots: 1, Now)!;
        Assert.Equal(TimeSpan.FromMinutes(15), one.Elapsed);
        Assert.Equal(25, one.Left!.Value.TotalMinutes, precision: 6);
        // Two slots: the running run's slot frees at 5, the other starts a queued run at once: 5 + 10 = 15.
        Assert.Equal(15, SweepTiming.Of(runs, liveSlots: 2, Now)!.Left!.Value.TotalMinutes, precision: 6);
        // No live worker: the queued runs have nobody to train them.
        Assert.Null(SweepTiming.Of(runs, liveSlots: 0, Now)!.Left);
        Assert.Null(SweepTiming.Of([Run(5, RunState.Queued, 0, null, null)], liveSlots: 2, Now));
    }

    private static Run Run(long id, RunState state, double progress, DateTime? started, DateTime? finished) => new()
    {
        Id = id, State = state, Progress = progress, StartedAt = started, FinishedAt = finished, Env = "point_u_maze",
        ConfigJson = """{"env":"point_u_maze","actorDepth":4,"criticDepth":4,"actorWidth":64,"criticWidth":64,"numEnvs":16,"unrollLength":10,"totalEnvSteps":20000,"numEpochs":4,"episodeLength":100,"maxReplaySize":200,"minReplaySize":100,"numSgdBatchesPerTrainingStep":4,"batchSize":32,"numEvalEnvs":4}""",
    };
}

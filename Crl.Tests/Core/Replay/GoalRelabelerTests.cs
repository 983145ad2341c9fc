using Crl.Core.Replay;
using Crl.Core.Sampling;
using Xunit;

namespace Crl.Tests.Core.Replay;

public class GoalRelabelerTests
{
    // States encode where they came from: (episode id, time, env, 0). Goals are state[0:2] = (episode, time).
    const int StateDim = 4, ActionDim = 1;

    static ReplayBuffer Fill(int numEnvs, int steps, Func<int, int, long> episodeOf, int capacity = 0)
    {
        var buffer = new ReplayBuffer(numEnvs, capacity > 0 ? capacity : steps, StateDim, ActionDim);
        var obs = new float[numEnvs * (StateDim + 2)];
        var actions = new float[numEnvs];
        var ids = new long[numEnvs];
        for (int t = 0; t < steps; t++)
        {
            for (int e = 0; e < numEnvs; e++)
            {
                ids[e] = episodeOf(e, t);
                obs[e * 6] = ids[e]; obs[e * 6 + 1] = t; obs[e * 6 + 2] = e;
                actions[e] = t + 1000 * e;
            }
            buffer.Insert(obs, actions, ids);
        }
        return buffer;
    }

    [Fact]
    public void Goals_come_from_strictly_later_steps_of_the_same_episode()
    {
        // Episodes of irregular length (7 to 40 steps) so windows straddle many boundaries.
        var buffer = Fill(8, 300, (e, t) => (t + 3 * e) / (7 + 11 * e % 34));
        var relabeler = new GoalRelabeler(goalStart: 0, goalDim: 2, gamma: 0.99, windowLength: 50, batchSize: 32, batchesPerStep: 10);
        var obs = new float[relabeler.SampleCount * 6];
        var act = new float[relabeler.SampleCount];
        var rng = new Xoshiro256(1);

        relabeler.Sample(buffer, ref rng, obs, act);

        int ownGoal = 0;
        for (int n = 0; n < relabeler.SampleCount; n++)
        {
            float episode = obs[n * 6], time = obs[n * 6 + 1], env = obs[n * 6 + 2];
            float goalEpisode = obs[n * 6 + 4], goalTime = obs[n * 6 + 5];
            Assert.Equal(episode, goalEpisode);
            Assert.True(goalTime >= time);
            if (goalTime == time) ownGoal++;
            Assert.Equal(time + 1000 * env, act[n]); // the action stored with that state
        }
        // The fallback (no later step in the window's episode) is the exception, not the rule.
        Assert.InRange(ownGoal, 1, relabeler.SampleCount / 4);
    }

    [Fact]
    public void Offsets_follow_the_truncated_geometric_distribution()
    {
        // One episode per env: a position t of a 200-step window has 199 − t later steps.
        const int window = 200;
        var buffer = Fill(64, 400, (e, t) => 0);
        var relabeler = new GoalRelabeler(0, 2, 0.99, window, batchSize: 256, batchesPerStep: 40);
        var obs = new float[relabeler.SampleCount * 6];
        var act = new float[relabeler.SampleCount];
        var offsets = new int[relabeler.SampleCount];
        var rng = new Xoshiro256(2024);

        relabeler.Sample(buffer, ref rng, obs, act, offsets);

        // Expected counts per offset bin given each sample's own truncation (its position in the window is not stored,
        // but later = window − 1 − t where t is uniform; recover it from the offset's upper bound instead: accumulate the
        // exact mixture over t, which is what the sampler draws from).
        var bins = new[] { 1, 2, 3, 5, 10, 20, 40, 70, 110, 160, 200 };
        var expected = new double[bins.Length - 1];
        for (int t = 0; t < window - 1; t++)
        {
            int later = window - 1 - t;
            for (int b = 0; b < bins.Length - 1; b++)
                for (int d = bins[b]; d < bins[b + 1]; d++)
                    expected[b] += relabeler.OffsetProbability(d, later) / (window - 1);
        }
        var observed = new double[bins.Length - 1];
        foreach (var d in offsets)
            for (int b = 0; b < bins.Length - 1; b++)
                if (d >= bins[b] && d < bins[b + 1]) observed[b]++;

        double chi2 = 0;
        for (int b = 0; b < expected.Length; b++)
        {
            var e = expected[b] * offsets.Length;
            chi2 += (observed[b] - e) * (observed[b] - e) / e;
        }
        // 9 degrees of freedom: the 99.9th percentile of χ²(9) is 27.9.
        Assert.True(chi2 < 27.9, $"χ² = {chi2:F1}; observed {string.Join(",", observed)} expected {string.Join(",", expected.Select(e => (e * offsets.Length).ToString("F0")))}");
        Assert.Equal(1.0, Enumerable.Range(1, 50).Sum(d => relabeler.OffsetProbability(d, 50)), 9);
    }

    [Fact]
    public void Large_batches_sample_more_windows_to_keep_the_updates_per_step()
    {
        // algorithm.md §9: 512 envs × 999 tuples give only 499 minibatches of 1024; 800 are wanted.
        var relabeler = new GoalRelabeler(0, 2, 0.99, windowLength: 1000, batchSize: 1024, batchesPerStep: 800);
        Assert.Equal(2, relabeler.WindowsPerEnv(512));
        Assert.Equal(800 * 1024, relabeler.SampleCount);
        Assert.Equal(4, new GoalRelabeler(0, 2, 0.99, 1000, 2048, 800).WindowsPerEnv(512));
        Assert.Equal(1, new GoalRelabeler(0, 2, 0.99, 1000, 256, 800).WindowsPerEnv(512));

        // And it works: with 4 envs × 19 tuples and 3 × 32 samples wanted, windows are drawn twice per env.
        var buffer = Fill(4, 40, (e, t) => 0);
        var small = new GoalRelabeler(0, 2, 0.99, windowLength: 20, batchSize: 32, batchesPerStep: 3);
        var obs = new float[small.SampleCount * 6];
        var rng = new Xoshiro256(3);
        small.Sample(buffer, ref rng, obs, new float[small.SampleCount]);
        Assert.Equal(2, small.WindowsPerEnv(4));
    }

    [Fact]
    public void The_buffer_is_a_ring_that_keeps_the_newest_steps()
    {
        var buffer = Fill(2, 25, (e, t) => 0, capacity: 10);
        Assert.Equal(10, buffer.Size);
        Assert.Equal(15f, buffer.State(buffer.Row(0, 1))[1]);
        Assert.Equal(24f, buffer.State(buffer.Row(9, 0))[1]);
        Assert.Equal(1f, buffer.State(buffer.Row(9, 1))[2]);
    }
}

using Crl.Core.Sampling;

namespace Crl.Core.Replay;

/// <summary>
/// Hindsight relabelling and minibatch sampling of algorithm.md §3.2 steps 3–6.
/// <list type="number">
/// <item>Every env contributes a window of <c>episode_length</c> consecutive time steps with a uniform start.</item>
/// <item>Position t of a window gets goal index t′ drawn ∝ γ^(t′−t) over the strictly later steps of the window that
/// belong to the same episode (a truncated geometric, sampled exactly by inverting its CDF). Where no later step of
/// the episode exists, the state's own goal coordinates are used — scaling-crl's 1e-5 diagonal weight.</item>
/// <item>The last position of each window is dropped, so a window yields episode_length − 1 tuples.</item>
/// <item>The training step's <c>num_sgd_batches_per_training_step</c> minibatches are a uniformly random subset of
/// the shuffled tuples. Drawing updates × batch tuples without replacement from the pool is the same distribution as
/// "shuffle, cut into minibatches, keep a random 800", and relabels only the tuples that are used.</item>
/// </list>
/// Batch ≥ 1024 (algorithm.md §3.2 caveat, open question 2): one window per env yields only
/// num_envs·(episode_length−1)/batch minibatches (499 at B = 1024), which would silently lower the update-to-data
/// ratio. Here each env then contributes ⌈updates·batch / (num_envs·(episode_length−1))⌉ independent windows —
/// scaling-crl's <c>num_episodes_per_env</c> knob turned up automatically — so every training step still runs the
/// configured number of updates and the ratio of updates to environment steps stays 800 : 31,744.
/// </summary>
public sealed class GoalRelabeler
{
    private int[] pool = [];
    private int[] windowEnvs = [];
    private int[] windowStarts = [];
    private int[] episodeEnds = [];

    public GoalRelabeler(int goalStart, int goalDim, double gamma, int windowLength, int batchSize, int batchesPerStep)
    {
        if (gamma is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in (0, 1)");
        if (windowLength < 2) throw new ArgumentOutOfRangeException(nameof(windowLength), windowLength, "window (episode_length) must be at least 2");
        if (batchSize < 2) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch_size must be at least 2");
        if (batchesPerStep < 1) throw new ArgumentOutOfRangeException(nameof(batchesPerStep), batchesPerStep, "num_sgd_batches_per_training_step must be at least 1");
        GoalStart = goalStart;
        GoalDim = goalDim;
        Gamma = gamma;
        WindowLength = windowLength;
        BatchSize = batchSize;
        BatchesPerStep = batchesPerStep;
    }

    public int GoalStart { get; }
    public int GoalDim { get; }
    public double Gamma { get; }
    public int WindowLength { get; }
    public int BatchSize { get; }
    public int BatchesPerStep { get; }

    /// <summary>Tuples produced per call: updates × batch size.</summary>
    public int SampleCount => BatchSize * BatchesPerStep;

    /// <summary>Windows drawn per env so that the pool holds at least <see cref="SampleCount"/> tuples.</summary>
    public int WindowsPerEnv(int numEnvs) => (int)Math.Max(1, (SampleCount + (long)numEnvs * (WindowLength - 1) - 1) / ((long)numEnvs * (WindowLength - 1)));

    /// <summary>
    /// Fills <paramref name="observations"/> (SampleCount × (state_dim + goal_dim), rows state ‖ relabelled goal) and
    /// <paramref name="actions"/> (SampleCount × action_dim), in random order.
    /// <paramref name="offsets"/>, when given, receives t′ − t per tuple (for tests and diagnostics).
    /// </summary>
    public void Sample(ReplayBuffer buffer, ref Xoshiro256 rng, Span<float> observations, Span<float> actions, Span<int> offsets = default)
    {
        if (buffer.Size < WindowLength)
            throw new InvalidOperationException($"the buffer holds {buffer.Size} steps per env; sampling needs at least episode_length = {WindowLength}");
        int s = buffer.StateDim, a = buffer.ActionDim, o = s + GoalDim, w = WindowLength;
        if (observations.Length != SampleCount * o) throw new ArgumentException($"need {SampleCount}×{o} observation values", nameof(observations));
        if (actions.Length != SampleCount * a) throw new ArgumentException($"need {SampleCount}×{a} action values", nameof(actions));

        int windows = WindowsPerEnv(buffer.NumEnvs) * buffer.NumEnvs;
        int poolSize = windows * (w - 1);
        EnsureCapacity(windows, poolSize);

        // 1. Windows: env-major, start uniform over positions that keep the whole window inside the stored data.
        for (int k = 0; k < windows; k++)
        {
            windowEnvs[k] = k % buffer.NumEnvs;
            windowStarts[k] = rng.NextInt(buffer.Size - w + 1);
            // Last window position sharing each position's episode, scanning backwards once.
            int env = windowEnvs[k], start = windowStarts[k];
            int end = w - 1;
            var nextId = buffer.EpisodeId(buffer.Row(start + w - 1, env));
            episodeEnds[k * w + w - 1] = end;
            for (int t = w - 2; t >= 0; t--)
            {
                var id = buffer.EpisodeId(buffer.Row(start + t, env));
                if (id != nextId) { end = t; nextId = id; }
                episodeEnds[k * w + t] = end;
            }
        }

        // 2. A uniformly random subset of the pool, without replacement (partial Fisher–Yates).
        for (int i = 0; i < poolSize; i++) pool[i] = i;
        var logGamma = Math.Log(Gamma);
        for (int n = 0; n < SampleCount; n++)
        {
            int pick = n + rng.NextInt(poolSize - n);
            (pool[n], pool[pick]) = (pool[pick], pool[n]);
            int k = pool[n] / (w - 1), t = pool[n] % (w - 1);
            int env = windowEnvs[k], start = windowStarts[k];

            // 3. Hindsight goal from a strictly later step of the same episode.
            int later = episodeEnds[k * w + t] - t;
            int delta = 0;
            if (later > 0)
            {
                var u = 1.0 - rng.NextDouble();
                var tailMass = 1.0 - Math.Pow(Gamma, later);
                delta = (int)Math.Ceiling(Math.Log(1.0 - u * tailMass) / logGamma);
                delta = Math.Clamp(delta, 1, later);
            }
            if (!offsets.IsEmpty) offsets[n] = delta;

            var row = buffer.Row(start + t, env);
            var goalRow = buffer.Row(start + t + delta, env);
            buffer.State(row).CopyTo(observations.Slice(n * o, s));
            buffer.State(goalRow).Slice(GoalStart, GoalDim).CopyTo(observations.Slice(n * o + s, GoalDim));
            buffer.Action(row).CopyTo(actions.Slice(n * a, a));
        }
    }

    /// <summary>P(t′ − t = d) for a position with <paramref name="later"/> same-episode successors: γ^d / Σ_{k=1..later} γ^k.</summary>
    public double OffsetProbability(int d, int later)
    {
        if (later <= 0) return d == 0 ? 1 : 0;
        if (d < 1 || d > later) return 0;
        return Math.Pow(Gamma, d - 1) * (1 - Gamma) / (1 - Math.Pow(Gamma, later));
    }

    private void EnsureCapacity(int windows, int poolSize)
    {
        if (pool.Length < poolSize) pool = new int[poolSize];
        if (windowEnvs.Length < windows)
        {
            windowEnvs = new int[windows];
            windowStarts = new int[windows];
            episodeEnds = new int[windows * WindowLength];
        }
    }
}

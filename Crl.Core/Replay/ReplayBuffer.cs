namespace Crl.Core.Replay;

/// <summary>
/// Preallocated, time-major replay (algorithm.md §3.1): for each of <see cref="NumEnvs"/> slots a column of up to
/// <see cref="Capacity"/> time steps (scaling-crl's <c>max_replay_size</c> is per env), holding the state, the action
/// taken in it and the episode id. Once full, the oldest time step is overwritten (a ring, as JaxGCRL's queue).
/// Kept in host memory: relabelling is pointer-chasing over episode ids, cheap on a CPU, and the sampled minibatches
/// travel to the training device once per training step (see <see cref="GoalRelabeler"/>).
/// </summary>
public sealed class ReplayBuffer
{
    private readonly float[] states;
    private readonly float[] actions;
    private readonly long[] episodeIds;
    private int insertPosition;

    public ReplayBuffer(int numEnvs, int capacity, int stateDim, int actionDim)
    {
        if (numEnvs < 1) throw new ArgumentOutOfRangeException(nameof(numEnvs), numEnvs, "num_envs must be at least 1");
        if (capacity < 2) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "max_replay_size must be at least 2");
        NumEnvs = numEnvs;
        Capacity = capacity;
        StateDim = stateDim;
        ActionDim = actionDim;
        states = new float[(long)capacity * numEnvs * stateDim];
        actions = new float[(long)capacity * numEnvs * actionDim];
        episodeIds = new long[(long)capacity * numEnvs];
    }

    public int NumEnvs { get; }
    public int Capacity { get; }
    public int StateDim { get; }
    public int ActionDim { get; }

    /// <summary>Time steps stored per env (≤ <see cref="Capacity"/>).</summary>
    public int Size { get; private set; }

    /// <summary>Transitions stored over all envs.</summary>
    public long Transitions => (long)Size * NumEnvs;

    /// <summary>Append one time step for every env: the observations acted on (state ‖ goal rows), the actions and episode ids.</summary>
    public void Insert(ReadOnlySpan<float> observations, ReadOnlySpan<float> actionsTaken, ReadOnlySpan<long> episodes)
    {
        int observationDim = observations.Length / NumEnvs;
        if (observations.Length != NumEnvs * observationDim || observationDim < StateDim)
            throw new ArgumentException("observations must hold one row of at least state_dim values per env", nameof(observations));
        if (actionsTaken.Length != NumEnvs * ActionDim) throw new ArgumentException("one action row per env", nameof(actionsTaken));
        if (episodes.Length != NumEnvs) throw new ArgumentException("one episode id per env", nameof(episodes));
        long row = (long)insertPosition * NumEnvs;
        for (int i = 0; i < NumEnvs; i++)
            observations.Slice(i * observationDim, StateDim).CopyTo(states.AsSpan((int)((row + i) * StateDim), StateDim));
        actionsTaken.CopyTo(actions.AsSpan((int)(row * ActionDim), NumEnvs * ActionDim));
        episodes.CopyTo(episodeIds.AsSpan((int)row, NumEnvs));
        insertPosition = (insertPosition + 1) % Capacity;
        if (Size < Capacity) Size++;
    }

    /// <summary>Physical row of logical time <paramref name="t"/> (0 = oldest kept) of <paramref name="env"/>.</summary>
    public long Row(int t, int env)
    {
        var oldest = Size < Capacity ? 0 : insertPosition;
        return (long)((oldest + t) % Capacity) * NumEnvs + env;
    }

    public ReadOnlySpan<float> State(long row) => states.AsSpan((int)(row * StateDim), StateDim);
    public ReadOnlySpan<float> Action(long row) => actions.AsSpan((int)(row * ActionDim), ActionDim);
    public long EpisodeId(long row) => episodeIds[row];

    /// <summary>Forget everything (a resumed run refills from fresh episodes).</summary>
    public void Clear()
    {
        Size = 0;
        insertPosition = 0;
    }
}

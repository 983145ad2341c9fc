using Crl.Core.Sampling;

namespace Crl.Core.Environments;

/// <summary>
/// The bookkeeping every batched task shares: episode limit, auto-reset, episode ids and the observation rows.
/// A task supplies the start/goal sampler and the batched dynamics over flat arrays; nothing here allocates per step.
/// </summary>
public abstract class VectorEnv : IVectorEnv
{
    protected readonly float[] states;
    protected readonly float[] goals;
    protected readonly float[] success;
    protected readonly float[] distance;
    private readonly float[] observations;
    private readonly float[] initialStates;
    private readonly float[] initialGoals;
    private readonly long[] episodeIds;
    private readonly int[] stepsInEpisode;
    private readonly bool[] done;
    private readonly AutoResetMode resetMode;
    protected Xoshiro256 rng;

    protected VectorEnv(EnvSpec spec, int numEnvs, int episodeLength, AutoResetMode resetMode)
    {
        if (numEnvs < 1) throw new ArgumentOutOfRangeException(nameof(numEnvs), numEnvs, "num_envs must be at least 1");
        if (episodeLength < 2) throw new ArgumentOutOfRangeException(nameof(episodeLength), episodeLength, "episode_length must be at least 2");
        Spec = spec with { EpisodeLength = episodeLength };
        NumEnvs = numEnvs;
        EpisodeLength = episodeLength;
        this.resetMode = resetMode;
        states = new float[numEnvs * spec.StateDim];
        goals = new float[numEnvs * spec.GoalDim];
        initialStates = new float[states.Length];
        initialGoals = new float[goals.Length];
        observations = new float[numEnvs * spec.ObservationDim];
        success = new float[numEnvs];
        distance = new float[numEnvs];
        episodeIds = new long[numEnvs];
        stepsInEpisode = new int[numEnvs];
        done = new bool[numEnvs];
        rng = new Xoshiro256(0);
    }

    public EnvSpec Spec { get; }
    public int NumEnvs { get; }
    public int EpisodeLength { get; }
    public ReadOnlySpan<float> Observations => observations;
    public ReadOnlySpan<long> EpisodeIds => episodeIds;
    public ReadOnlySpan<float> Success => success;
    public ReadOnlySpan<float> Distance => distance;
    public ReadOnlySpan<bool> Done => done;

    public ulong[] RandomState
    {
        get => rng.State;
        set => rng = Xoshiro256.FromState(value);
    }

    public void Reset(ulong seed)
    {
        rng = new Xoshiro256(seed);
        int s = Spec.StateDim, g = Spec.GoalDim;
        for (int i = 0; i < NumEnvs; i++)
        {
            SampleStart(i, states.AsSpan(i * s, s), goals.AsSpan(i * g, g));
            // Episode ids only need to be unique within a slot; starting each slot at 0 keeps them small.
            episodeIds[i] = 0;
            stepsInEpisode[i] = 0;
            done[i] = false;
            success[i] = 0;
        }
        states.CopyTo(initialStates, 0);
        goals.CopyTo(initialGoals, 0);
        OnInitialStatesSampled();
        for (int i = 0; i < NumEnvs; i++) distance[i] = GoalDistance(i);
        WriteObservations();
    }

    public void Step(ReadOnlySpan<float> actions)
    {
        if (actions.Length != NumEnvs * Spec.ActionDim)
            throw new ArgumentException($"expected {NumEnvs}×{Spec.ActionDim} actions, got {actions.Length}", nameof(actions));
        Advance(actions);
        int s = Spec.StateDim, g = Spec.GoalDim;
        for (int i = 0; i < NumEnvs; i++)
        {
            var ended = ++stepsInEpisode[i] >= EpisodeLength || Terminated(i);
            done[i] = ended;
            if (!ended) continue;
            if (resetMode == AutoResetMode.FirstState)
            {
                initialStates.AsSpan(i * s, s).CopyTo(states.AsSpan(i * s, s));
                initialGoals.AsSpan(i * g, g).CopyTo(goals.AsSpan(i * g, g));
                OnRestoredToInitial(i);
            }
            else
            {
                SampleStart(i, states.AsSpan(i * s, s), goals.AsSpan(i * g, g));
            }
            stepsInEpisode[i] = 0;
            episodeIds[i]++;
        }
        WriteObservations();
    }

    /// <summary>Draw slot <paramref name="env"/>'s start state and commanded goal.</summary>
    protected abstract void SampleStart(int env, Span<float> state, Span<float> goal);

    /// <summary>Integrate every slot one control step, filling <see cref="success"/> and <see cref="distance"/>.</summary>
    protected abstract void Advance(ReadOnlySpan<float> actions);

    /// <summary>Tasks with hidden state beyond the observed state (joint angles) remember it here…</summary>
    protected virtual void OnInitialStatesSampled() { }

    /// <summary>…and restore it here when <see cref="AutoResetMode.FirstState"/> rewinds a slot.</summary>
    protected virtual void OnRestoredToInitial(int env) { }

    /// <summary>Early termination (ant/humanoid falls); the tasks built here never terminate early.</summary>
    protected virtual bool Terminated(int env) => false;

    /// <summary>Distance between slot <paramref name="env"/>'s goal coordinates and its goal.</summary>
    protected float GoalDistance(int env)
    {
        int s = Spec.StateDim, g = Spec.GoalDim, start = Spec.GoalStart;
        double sum = 0;
        for (int k = 0; k < g; k++)
        {
            var d = states[env * s + start + k] - goals[env * g + k];
            sum += d * d;
        }
        return (float)Math.Sqrt(sum);
    }

    private void WriteObservations()
    {
        int s = Spec.StateDim, g = Spec.GoalDim, o = s + g;
        for (int i = 0; i < NumEnvs; i++)
        {
            states.AsSpan(i * s, s).CopyTo(observations.AsSpan(i * o, s));
            goals.AsSpan(i * g, g).CopyTo(observations.AsSpan(i * o + s, g));
        }
    }
}

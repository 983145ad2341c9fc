namespace Crl.Core.Environments;

/// <summary>
/// N copies of one task reset and stepped as a batch, with Brax training-wrapper semantics (environments.md §4.1):
/// an episode limit, auto-reset, and a per-slot episode id that the replay buffer uses to keep hindsight goals
/// inside their episode. All buffers are flat, row-major, one row per environment, and are reused between steps.
/// </summary>
public interface IVectorEnv
{
    EnvSpec Spec { get; }
    int NumEnvs { get; }
    int EpisodeLength { get; }

    /// <summary>Start fresh episodes in every slot; the generator is re-seeded so equal seeds give equal runs.</summary>
    void Reset(ulong seed);

    /// <summary>Apply one action per slot (N × action_dim, clipped to [−1, 1]); auto-resets slots whose episode ended.</summary>
    void Step(ReadOnlySpan<float> actions);

    /// <summary>N × (state_dim + goal_dim): what the policy acts on next (the first observation of a new episode after a reset).</summary>
    ReadOnlySpan<float> Observations { get; }

    /// <summary>Per slot, the episode the current observation belongs to.</summary>
    ReadOnlySpan<long> EpisodeIds { get; }

    /// <summary>Per slot, 1 if the step just taken ended within the success radius of the goal, else 0.</summary>
    ReadOnlySpan<float> Success { get; }

    /// <summary>Per slot, the distance to the goal after the step just taken.</summary>
    ReadOnlySpan<float> Distance { get; }

    /// <summary>Per slot, whether the step just taken ended the episode (limit or termination).</summary>
    ReadOnlySpan<bool> Done { get; }

    /// <summary>The generator's state, for checkpoints.</summary>
    ulong[] RandomState { get; set; }
}

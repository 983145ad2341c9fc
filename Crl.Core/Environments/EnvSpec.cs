namespace Crl.Core.Environments;

/// <summary>
/// Shapes and goal semantics of a goal-conditioned task (algorithm.md §3.3): the observation is state ‖ goal, and a
/// hindsight goal is <c>state[GoalStart .. GoalStart + GoalDim]</c> of a later state.
/// </summary>
public sealed record EnvSpec(
    string Id,
    int StateDim,
    int GoalDim,
    int ActionDim,
    int GoalStart,
    int EpisodeLength,
    double SuccessRadius,
    string Description)
{
    public int ObservationDim => StateDim + GoalDim;
}

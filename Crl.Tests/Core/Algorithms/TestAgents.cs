using Crl.Core.Algorithms;
using Crl.Core.Environments;
using Crl.Core.Training;

namespace Crl.Tests.Core.Algorithms;

/// <summary>Small agents with the paper's hyper-parameters (<see cref="CrlConfig"/>'s defaults), mapped as the trainer maps them.</summary>
static class TestAgents
{
    /// <summary>A task with a 4-d state, a 2-d goal and a 2-d action.</summary>
    static readonly EnvSpec Task = new("test", StateDim: 4, GoalDim: 2, ActionDim: 2, GoalStart: 0, EpisodeLength: 30, SuccessRadius: 0.5, Description: "");

    public static CrlAgentSpec Spec(int width, int actorDepth, int criticDepth) => CrlTrainer.AgentSpec(
        new CrlConfig { ActorWidth = width, ActorDepth = actorDepth, CriticWidth = width, CriticDepth = criticDepth }, Task);
}

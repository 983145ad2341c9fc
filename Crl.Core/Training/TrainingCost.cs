using Crl.Core.Algorithms;
using Crl.Core.Environments;
using Crl.Core.Networks;

namespace Crl.Core.Training;

/// <summary>
/// What a run computes, counted in matrix-product FLOPs (2 per multiply-add): the SGD updates, and the actor's
/// forward passes that choose actions while collecting and evaluating. Only the products are counted, so the figure
/// is a yardstick: the launch preview turns it into hours with the throughput finished runs reached.
/// </summary>
public sealed record TrainingCost(long Updates, double FlopsPerUpdate, long ActingSteps, double FlopsPerActingStep)
{
    public double TotalFlops => Updates * FlopsPerUpdate + ActingSteps * FlopsPerActingStep;

    public static TrainingCost Of(CrlConfig config)
    {
        var agent = CrlTrainer.AgentSpec(config, EnvRegistry.Get(config.Env).Spec);
        long updates = (long)config.NumEpochs * config.TrainingStepsPerEpoch * config.UpdatesPerTrainingStep;
        long evaluations = config.NumEpochs + (config.EvalBeforeTraining ? 1 : 0);
        long actingSteps = config.TotalEnvSteps + evaluations * config.NumEvalEnvs * config.EpisodeLength;
        return new TrainingCost(updates, UpdateFlops(agent, config.BatchSize), actingSteps, 2 * ActorMacs(agent));
    }

    /// <summary>
    /// Per sample, for dense layers with m = Σ fan_in × fan_out per network: actor forward + backward 6·m_actor; φ in
    /// the actor loss forward + input-gradient backward 4·m_sa (its weights are frozen there); critic loss forward +
    /// backward 6·(m_sa + m_g), whose ψ the actor loss reuses. Plus the B×B distance matrix (forward and backward ≈ 3
    /// products of B×64 by 64×B).
    /// </summary>
    public static double UpdateFlops(CrlAgentSpec spec, int batch)
    {
        var sa = Macs(spec.StateDim + spec.ActionDim, spec.CriticWidth, spec.CriticDepth, spec.RepresentationDim);
        var g = Macs(spec.GoalDim, spec.CriticWidth, spec.CriticDepth, spec.RepresentationDim);
        var perSample = 2 * (3 * ActorMacs(spec) + 2 * sa + 3 * (sa + g));
        var distance = 3 * 2.0 * batch * batch * spec.RepresentationDim;
        return perSample * batch + distance;
    }

    private static double ActorMacs(CrlAgentSpec spec) => Macs(spec.ObservationDim, spec.ActorWidth, spec.ActorDepth, 2L * spec.ActionDim);

    private static double Macs(long input, long width, int depth, long output) => input * width + depth * width * width + width * output;
}

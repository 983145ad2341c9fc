using Crl.Core.Algorithms;
using Crl.Core.Environments;
using Crl.Core.Networks;

namespace Crl.Core.Training;

/// <summary>
/// What a run computes, counted in matrix-product FLOPs (2 per multiply-add): the SGD updates, and the forward passes
/// that choose actions while collecting and evaluating (the actor's, and the critic's under <c>argmax-q:K</c>). Only
/// the products are counted, so the figure is a yardstick: the launch preview turns it into hours with the throughput
/// finished runs reached.
/// </summary>
public sealed record TrainingCost(long Updates, double FlopsPerUpdate, long CollectSteps, double FlopsPerCollectStep, long EvalSteps, double FlopsPerEvalStep)
{
    public long ActingSteps => CollectSteps + EvalSteps;

    public double TotalFlops => Updates * FlopsPerUpdate + CollectSteps * FlopsPerCollectStep + EvalSteps * FlopsPerEvalStep;

    public static TrainingCost Of(CrlConfig config)
    {
        var agent = CrlTrainer.AgentSpec(config, EnvRegistry.Get(config.Env).Spec);
        long updates = (long)config.NumEpochs * config.TrainingStepsPerEpoch * config.UpdatesPerTrainingStep;
        long evaluations = config.NumEpochs + (config.EvalBeforeTraining ? 1 : 0);
        return new TrainingCost(updates, UpdateFlops(agent, config.BatchSize),
            config.TotalEnvSteps, ActingFlops(agent, ActionSelection.Parse(config.CollectActionSelection)),
            evaluations * config.NumEvalEnvs * config.EpisodeLength, ActingFlops(agent, ActionSelection.Parse(config.EvalActionSelection)));
    }

    /// <summary>
    /// Per env step: the actor's forward pass, and under <c>argmax-q:K</c> also ψ(g) once and φ(s, a) for each of the K
    /// candidates (<see cref="CrlAgent.Act"/>).
    /// </summary>
    public static double ActingFlops(CrlAgentSpec spec, ActionSelection selection) => selection.IsPolicy
        ? 2 * ActorMacs(spec)
        : 2 * (ActorMacs(spec) + GMacs(spec) + selection.Candidates * SaMacs(spec));

    /// <summary>
    /// Per sample, for dense layers with m = Σ fan_in × fan_out per network: actor forward + backward 6·m_actor; φ in
    /// the actor loss forward + input-gradient backward 4·m_sa (its weights are frozen there); critic loss forward +
    /// backward 6·(m_sa + m_g), whose ψ the actor loss reuses. Plus the B×B distance matrix (forward and backward ≈ 3
    /// products of B×64 by 64×B).
    /// </summary>
    public static double UpdateFlops(CrlAgentSpec spec, int batch)
    {
        var (sa, g) = (SaMacs(spec), GMacs(spec));
        var perSample = 2 * (3 * ActorMacs(spec) + 2 * sa + 3 * (sa + g));
        var distance = 3 * 2.0 * batch * batch * spec.RepresentationDim;
        return perSample * batch + distance;
    }

    private static double SaMacs(CrlAgentSpec spec) => Macs(spec.StateDim + spec.ActionDim, spec.CriticWidth, spec.CriticDepth, spec.RepresentationDim);

    private static double GMacs(CrlAgentSpec spec) => Macs(spec.GoalDim, spec.CriticWidth, spec.CriticDepth, spec.RepresentationDim);

    private static double ActorMacs(CrlAgentSpec spec) => Macs(spec.ObservationDim, spec.ActorWidth, spec.ActorDepth, 2L * spec.ActionDim);

    private static double Macs(long input, long width, int depth, long output) => input * width + depth * width * width + width * output;
}

using Crl.Core.Environments;
using Crl.Core.Networks;
using Crl.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Algorithms;

/// <summary>Shapes and hyper-parameters an agent is built from (a subset of the trainer's config).</summary>
public sealed record CrlAgentSpec(
    int StateDim, int GoalDim, int ActionDim,
    int ActorWidth, int ActorDepth, int CriticWidth, int CriticDepth,
    double ActorLr = 3e-4, double CriticLr = 3e-4, double AlphaLr = 3e-4,
    double EntropyParam = 0.5, double LogsumexpPenaltyCoeff = CrlLosses.LogsumexpPenaltyCoeff)
{
    public int ObservationDim => StateDim + GoalDim;

    public NetworkSizes Sizes => NetworkSizes.Of(StateDim, GoalDim, ActionDim, ActorWidth, ActorDepth, CriticWidth, CriticDepth);

    /// <summary>The agent a run's config asks for on an environment with this layout.</summary>
    public static CrlAgentSpec For(CrlConfig config, EnvSpec env) => new(
        env.StateDim, env.GoalDim, env.ActionDim,
        config.ActorWidth, config.ActorDepth, config.CriticWidth, config.CriticDepth,
        config.ActorLr, config.CriticLr, config.AlphaLr, config.EntropyParam, config.LogsumexpPenaltyCoeff);
}

/// <summary>
/// Everything an update changes: actor, critic (φ and ψ), log α, and their three Adam optimisers
/// (optax defaults β = (0.9, 0.999), ε = 1e-8; no clipping, decay or schedule — spec §2.4).
/// </summary>
public sealed class CrlAgent : IDisposable
{
    public CrlAgent(CrlAgentSpec spec, Device device)
    {
        Spec = spec;
        Device = device;
        Actor = new GaussianActor(spec.ObservationDim, spec.ActionDim, spec.ActorWidth, spec.ActorDepth);
        Critic = new ContrastiveCritic(spec.StateDim, spec.ActionDim, spec.GoalDim, spec.CriticWidth, spec.CriticDepth);
        Actor.to(device);
        Critic.to(device);
        // log α starts at 0 (α = 1), spec §2.3.
        LogAlpha = new TorchSharp.Modules.Parameter(zeros(1, device: device));
        ActorOptimizer = new FlatAdam(Actor.parameters(), spec.ActorLr);
        CriticOptimizer = new FlatAdam(Critic.parameters(), spec.CriticLr);
        AlphaOptimizer = new FlatAdam([LogAlpha], spec.AlphaLr);
        TargetEntropy = CrlLosses.TargetEntropy(spec.ActionDim, spec.EntropyParam);
    }

    public CrlAgentSpec Spec { get; }
    public Device Device { get; }
    public GaussianActor Actor { get; }
    public ContrastiveCritic Critic { get; }
    public TorchSharp.Modules.Parameter LogAlpha { get; }
    public FlatAdam ActorOptimizer { get; }
    public FlatAdam CriticOptimizer { get; }
    public FlatAdam AlphaOptimizer { get; }
    public double TargetEntropy { get; }

    /// <summary>Turns the critic's weight gradients off while the actor loss back-propagates through φ (spec §2.2).</summary>
    public void SetCriticTrainable(bool trainable)
    {
        foreach (var p in Critic.parameters()) p.requires_grad = trainable;
    }

    public void Dispose()
    {
        ActorOptimizer.Dispose();
        CriticOptimizer.Dispose();
        AlphaOptimizer.Dispose();
        LogAlpha.Dispose();
        Actor.Dispose();
        Critic.Dispose();
    }
}

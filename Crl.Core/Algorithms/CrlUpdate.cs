using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Algorithms;

/// <summary>
/// One SGD step of scaled CRL (spec §2.4): actor, then α, then critic, all on the same relabelled minibatch.
/// </summary>
public static class CrlUpdate
{
    /// <summary>Order of the values in the vector <see cref="Apply"/> returns.</summary>
    public static readonly IReadOnlyList<string> MetricNames =
    [
        "critic_loss", "actor_loss", "alpha_loss", "alpha", "log_alpha", "entropy", "logsumexp",
        "categorical_accuracy", "logits_pos", "logits_neg",
    ];

    /// <param name="observation">(B, state_dim + goal_dim): state ‖ hindsight goal.</param>
    /// <param name="action">(B, action_dim): the action taken in that state.</param>
    /// <returns>The metrics of this update as a detached vector (order <see cref="MetricNames"/>), still on the device.</returns>
    public static Tensor Apply(CrlAgent agent, Tensor observation, Tensor action)
    {
        using var scope = NewDisposeScope();
        var stateDim = agent.Spec.StateDim;
        var state = observation.narrow(1, 0, stateDim);
        var goal = observation.narrow(1, stateDim, agent.Spec.GoalDim);

        // Actor (spec §2.2): maximise the current critic at the relabelled goal; gradients reach the actor only.
        var alpha = agent.LogAlpha.exp().detach();
        agent.SetCriticTrainable(false);
        var (sampled, logProb) = agent.Actor.Sample(observation);
        Tensor psiOfGoal;
        using (no_grad()) psiOfGoal = agent.Critic.Psi(goal);
        var q = CrlLosses.PairEnergy(agent.Critic.Phi(state, sampled), psiOfGoal);
        var actorLoss = CrlLosses.ActorLoss(alpha, logProb, q);
        agent.ActorOptimizer.ZeroGrad();
        actorLoss.backward();
        agent.ActorOptimizer.Step();
        agent.SetCriticTrainable(true);

        // α (spec §2.3), from the same sample's log-probability.
        var alphaLoss = CrlLosses.AlphaLoss(agent.LogAlpha, logProb, agent.TargetEntropy);
        agent.AlphaOptimizer.ZeroGrad();
        alphaLoss.backward();
        agent.AlphaOptimizer.Step();

        // Critic (spec §2.1): forward InfoNCE over the batch + logsumexp penalty.
        var logits = CrlLosses.Energy(agent.Critic.Phi(state, action), agent.Critic.Psi(goal));
        var criticLoss = CrlLosses.CriticLoss(logits, agent.Spec.LogsumexpPenaltyCoeff);
        agent.CriticOptimizer.ZeroGrad();
        criticLoss.backward();
        agent.CriticOptimizer.Step();

        using (no_grad())
        {
            var entropy = logProb.detach().mean().neg();
            var logsumexp = logits.detach().logsumexp(1).mean();
            Tensor[] scalars = [criticLoss, actorLoss, alphaLoss, alpha, agent.LogAlpha.detach(), entropy, logsumexp];
            var metrics = cat([.. scalars.Select(t => t.detach().reshape(1)), CrlLosses.ContrastiveDiagnostics(logits)]);
            return metrics.MoveToOuterDisposeScope();
        }
    }
}

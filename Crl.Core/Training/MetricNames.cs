namespace Crl.Core.Training;

/// <summary>Metric names as the paper's code logs them (spec §5), JaxGCRL's spelling where the two differ.</summary>
public static class MetricNames
{
    public const string Sps = "training/sps";
    public const string WallTime = "training/walltime";
    public const string EnvSteps = "training/envsteps";
    public const string Updates = "training/updates";
    public const string BufferSize = "training/buffer_current_size";
    public const string CriticLoss = "training/critic_loss";
    public const string ActorLoss = "training/actor_loss";
    public const string AlphaLoss = "training/alpha_loss";
    public const string Alpha = "training/alpha";
    public const string LogAlpha = "training/log_alpha";
    public const string Entropy = "training/entropy";
    public const string Logsumexp = "training/logsumexp";
    public const string CategoricalAccuracy = "training/categorical_accuracy";
    public const string LogitsPos = "training/logits_pos";
    public const string LogitsNeg = "training/logits_neg";

    /// <summary>The paper's "time at goal": mean over eval episodes of the steps spent within the success radius.</summary>
    public const string EpisodeSuccess = "eval/episode_success";
    public const string EpisodeSuccessAny = "eval/episode_success_any";
    public const string EpisodeDist = "eval/episode_dist";
    public const string AvgEpisodeLength = "eval/avg_episode_length";
    public const string EvalTime = "eval/epoch_eval_time";
    public const string EvalSps = "eval/sps";

    /// <summary>Columns of metrics.csv, in a stable order.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Sps, WallTime, EnvSteps, Updates, BufferSize, CriticLoss, ActorLoss, AlphaLoss, Alpha, LogAlpha, Entropy, Logsumexp,
        CategoricalAccuracy, LogitsPos, LogitsNeg, EpisodeSuccess, EpisodeSuccessAny, EpisodeDist, AvgEpisodeLength, EvalTime, EvalSps,
    ];
}

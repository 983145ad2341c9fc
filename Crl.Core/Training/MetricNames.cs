using Crl.Core.Algorithms;
using static TorchSharp.torch;

namespace Crl.Core.Training;

/// <summary>Metric names as the paper's code logs them (algorithm.md §5), JaxGCRL's spelling where the two differ.</summary>
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

    /// <summary>The training process's CPU time over the interval since the previous report, in % of the cores it may use.</summary>
    public const string CpuUtilization = "system/cpu_percent";
    /// <summary>Resident memory of the training process (MiB), now and at its peak.</summary>
    public const string ResidentMemory = "system/rss_mib";
    public const string PeakResidentMemory = "system/peak_rss_mib";
    /// <summary>On CUDA, the GPU's memory in use (MiB, every process on it) and its utilisation (%), as nvidia-smi reads them.</summary>
    public const string GpuMemory = "system/gpu_memory_mib";
    public const string GpuUtilization = "system/gpu_utilization_percent";

    /// <summary>Each of an update's metrics under its name; the trainer reports their means over the epoch's updates.</summary>
    public static readonly IReadOnlyList<(string Name, Func<CrlUpdateMetrics, Tensor> Value)> Update =
    [
        (CriticLoss, m => m.CriticLoss), (ActorLoss, m => m.ActorLoss), (AlphaLoss, m => m.AlphaLoss), (Alpha, m => m.Alpha),
        (LogAlpha, m => m.LogAlpha), (Entropy, m => m.Entropy), (Logsumexp, m => m.Logsumexp),
        (CategoricalAccuracy, m => m.CategoricalAccuracy), (LogitsPos, m => m.LogitsPos), (LogitsNeg, m => m.LogitsNeg),
    ];

    /// <summary>Columns of metrics.csv, in a stable order.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Sps, WallTime, EnvSteps, Updates, BufferSize, .. Update.Select(m => m.Name),
        EpisodeSuccess, EpisodeSuccessAny, EpisodeDist, AvgEpisodeLength, EvalTime, EvalSps,
    ];

    /// <summary>
    /// An update's metrics as one device vector in <see cref="Update"/>'s order, so an epoch sums them with one add per
    /// update and reads them with one host sync.
    /// </summary>
    public static Tensor Vector(CrlUpdateMetrics metrics) => cat([.. Update.Select(m => m.Value(metrics).reshape(1))]);
}

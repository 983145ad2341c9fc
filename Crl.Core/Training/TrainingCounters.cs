namespace Crl.Core.Training;

/// <summary>Where a run stands; saved in checkpoints so a resumed run continues its axes.</summary>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="EnvSteps">Environment steps taken (prefill included; a resume's refill is not counted, see <see cref="CrlTrainer"/>).</param>
/// <param name="TrainingSteps">Training steps (collect + updates) completed.</param>
/// <param name="Updates">SGD updates completed.</param>
/// <param name="WallTimeSeconds">Training wall time, continued across resumes.</param>
public sealed record TrainingCounters(int Epoch, long EnvSteps, long TrainingSteps, long Updates, double WallTimeSeconds)
{
    public static readonly TrainingCounters Start = new(0, 0, 0, 0, 0);
}

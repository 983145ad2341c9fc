namespace Crl.Core.Training;

/// <summary>
/// Which epochs keep a numbered checkpoint: scaling-crl keeps epochs 0–4, every 10th, the last 5 and the final one
/// (algorithm.md §3.2 step 8; epochs counted from 0). Besides these, <c>latest</c> is overwritten after every epoch so that
/// a resume loses at most one epoch.
/// </summary>
public static class CheckpointSchedule
{
    public const string Latest = "latest";

    public static bool Keep(int epochIndex, int numEpochs) =>
        epochIndex < 5 || epochIndex % 10 == 0 || epochIndex >= numEpochs - 5;

    public static string DirectoryName(int epochsCompleted) => $"epoch-{epochsCompleted:D4}";
}

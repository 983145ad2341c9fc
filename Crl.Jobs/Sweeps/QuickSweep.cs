using System.Text.Json;

namespace Crl.Jobs.Sweeps;

/// <summary>
/// A one-run PointMaze sweep small enough to finish in well under a minute on two CPU cores: it shows the whole
/// path (queue → worker → trainer → metrics, checkpoints) working, not a result worth reporting.
/// </summary>
public static class QuickSweep
{
    /// <param name="seeds">One run per seed.</param>
    /// <param name="epochs">Epochs of 1,600 env steps each (after a 3,200-step prefill).</param>
    public static SweepRequest Request(long[]? seeds = null, int epochs = 4) => new()
    {
        Name = "quick point_u_maze",
        Envs = ["point_u_maze"],
        Depths = [4],
        Widths = [64],
        BatchSizes = [64],
        Seeds = [.. seeds ?? [1]],
        Settings = Settings(new
        {
            numEnvs = 32,
            unrollLength = 50,
            episodeLength = 100,
            maxReplaySize = 1000,
            minReplaySize = 100,
            numSgdBatchesPerTrainingStep = 20,
            numEpochs = epochs,
            numEvalEnvs = 16,
            totalEnvSteps = 32 * 100 + epochs * 32 * 50,
        }),
    };

    public static Dictionary<string, JsonElement> Settings(object values) =>
        JsonSerializer.SerializeToElement(values).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
}

using System.Text.Json;

namespace Crl.Jobs.Sweeps;

/// <summary>
/// A one-run PointMaze sweep small enough to finish in well under a minute on two CPU cores: it shows the whole
/// path (queue → worker → trainer → metrics, checkpoints) working, not a result worth reporting.
/// </summary>
public static class QuickSweep
{
    public static SweepRequest Request(long seed = 1) => new()
    {
        Name = "quick point_u_maze",
        Envs = ["point_u_maze"],
        Depths = [4],
        Widths = [64],
        BatchSizes = [64],
        Seeds = [seed],
        Settings = Settings(new
        {
            numEnvs = 32,
            unrollLength = 50,
            episodeLength = 100,
            maxReplaySize = 1000,
            minReplaySize = 100,
            numSgdBatchesPerTrainingStep = 20,
            numEpochs = 4,
            numEvalEnvs = 16,
            totalEnvSteps = 32 * 100 + 4 * 32 * 50,
        }),
    };

    public static Dictionary<string, JsonElement> Settings(object values) =>
        JsonSerializer.SerializeToElement(values).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
}

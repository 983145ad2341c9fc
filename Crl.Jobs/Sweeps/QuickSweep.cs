using System.Text.Json;

namespace Crl.Jobs.Sweeps;

/// <summary>
/// Small PointMaze U sweeps. <see cref="Learning"/> is the first run a user queues ("Queue quick run",
/// <c>POST /api/sweeps/quick</c>); <see cref="Request"/> is the smallest sweep that exercises the whole path
/// (queue → worker → trainer → metrics, checkpoints) in seconds, which is what the job-path tests need.
/// </summary>
public static class QuickSweep
{
    public const int Width = 64, BatchSize = 256;

    /// <summary>
    /// One run, seed 1, whose time at goal rises from about zero to over 30 % of the episode within about three
    /// minutes on two loaded CPU cores (about a minute when they are idle): a trainer that visibly learns.
    /// </summary>
    /// <param name="epochs">Epochs of 16,000 env steps and 500 updates each (after a 9,600-step prefill).</param>
    public static SweepRequest Learning(int epochs = 12) => new()
    {
        Name = "quick point_u_maze",
        Envs = ["point_u_maze"],
        Depths = [4],
        Widths = [Width],
        BatchSizes = [BatchSize],
        Seeds = [1],
        Settings = Settings(Collection(epochs, trainingStepsPerEpoch: 10)),
    };

    /// <summary>
    /// Collection and learning settings that learn within minutes on a CPU: 32 envs, 300-step episodes (the far
    /// goals of the U are about 240 steps away, so 100-step episodes cap time at goal near 15 %), 50 updates per
    /// 1,600 env steps, and learning rates of 1e-3 instead of the paper's 3e-4. One libtorch thread: networks this
    /// small gain nothing from a second, and on a busy two-core machine a descheduled second thread stalls every
    /// parallel region (at the worker's default of one thread per core, the first attempt at the CPU study spent 97 s
    /// on the untrained policy's evaluation, which takes a quarter of a second on one thread).
    /// </summary>
    public static object Collection(int epochs, int trainingStepsPerEpoch) => new
    {
        numEnvs = 32,
        unrollLength = 50,
        episodeLength = 300,
        minReplaySize = 300,
        maxReplaySize = 3000,
        numSgdBatchesPerTrainingStep = 50,
        numEpochs = epochs,
        numEvalEnvs = 32,
        totalEnvSteps = 32 * 300 + epochs * trainingStepsPerEpoch * 32 * 50,
        actorLr = 1e-3,
        criticLr = 1e-3,
        alphaLr = 1e-3,
        torchThreads = 1,
    };

    /// <summary>A few seconds per run: it shows the machinery working, not a result worth reporting.</summary>
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

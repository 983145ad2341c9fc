using System.Text.Json;
using Crl.Benchmarks.Harness;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Sweeps;

namespace Crl.Tests.Web;

/// <summary>Small synthetic sweeps for the analysis views: tiny trainer settings, results chosen by the test.</summary>
internal static class SyntheticSweeps
{
    public static SweepRequest Request(string name, string[] envs, int[] depths, int seeds, int[]? widths = null) => new()
    {
        Name = name,
        Envs = [.. envs],
        Depths = [.. depths],
        Widths = [.. widths ?? [64]],
        BatchSizes = [64],
        Seeds = [.. Enumerable.Range(1, seeds).Select(s => (long)s)],
        Settings = QuickSweep.Settings(new
        {
            numEnvs = 32, unrollLength = 50, episodeLength = 100, maxReplaySize = 1000, minReplaySize = 100,
            numSgdBatchesPerTrainingStep = 20, numEpochs = SyntheticRuns.Evaluations, numEvalEnvs = 16,
            totalEnvSteps = 32 * 100 + SyntheticRuns.Evaluations * 32 * 50,
        }),
    };

    /// <summary>Deeper is better, by a step of ~65 (more than the default critical jump of 50) at depth 16, with a spread over seeds; evaluations drift by ±2 around the run's level.</summary>
    public static SyntheticEvaluation DeeperIsBetter(Run run, int evaluation)
    {
        double level = (run.ActorDepth >= 16 ? 80 : 15) + 3 * (run.Seed % 4) + (run.Env.Length % 3);
        double timeAtGoal = level + (evaluation - 2);
        return new SyntheticEvaluation(timeAtGoal, Math.Min(1, timeAtGoal / 80), 60 * (evaluation + 1) * (1 + run.ActorDepth / 8.0));
    }

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}

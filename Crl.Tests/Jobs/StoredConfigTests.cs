using System.Text.Json;
using Crl.Core.Environments;
using Crl.Core.Training;
using Crl.Jobs.Persistence;
using Crl.Jobs.Sweeps;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>Configs and sweep specs as the database keeps them: written once, read by workers, pages and fill.</summary>
public class StoredConfigTests
{
    [Fact]
    public void A_run_row_written_before_the_knob_declarations_still_reads()
    {
        // Runs.ConfigJson as RunQueue wrote it before there was a StoredConfig (web defaults, enums by name, derived values too).
        const string row = """
            {"env":"point_u_maze","evalEnv":null,"actorDepth":16,"criticDepth":8,"actorWidth":64,"criticWidth":64,"batchSize":64,
             "numEnvs":32,"unrollLength":50,"episodeLength":100,"maxReplaySize":1000,"minReplaySize":100,"gamma":0.99,
             "numSgdBatchesPerTrainingStep":20,"totalEnvSteps":9600,"numEpochs":4,"numEvalEnvs":16,"seed":3,"actorLr":0.0003,
             "criticLr":0.0003,"alphaLr":0.0003,"logsumexpPenaltyCoeff":0.1,"entropyParam":0.5,"device":"auto","torchThreads":0,
             "resetMode":"Resample","evalBeforeTraining":true,"prefillUnrolls":2,"envStepsPerTrainingStep":1600,"trainingStepsPerEpoch":1}
            """;

        var config = StoredConfig.Read(row);

        Assert.Equal((16, 8, 64, 3L, AutoResetMode.Resample), (config.ActorDepth, config.CriticDepth, config.BatchSize, config.Seed, config.ResetMode));
        Assert.Empty(config.Validate());
        // Written again, every key of the old row keeps its spelling and value; knobs added since are extra keys.
        // (Fill matches cells by their grid axes, so those extra keys do not make old cells look missing.)
        using var written = JsonDocument.Parse(StoredConfig.Write(config));
        using var old = JsonDocument.Parse(row);
        foreach (var key in old.RootElement.EnumerateObject())
            Assert.Equal(key.Value.GetRawText(), written.RootElement.GetProperty(key.Name).GetRawText());
        Assert.Equal(config, StoredConfig.Read(StoredConfig.Write(config)));
    }

    [Fact]
    public void A_stored_sweep_spec_plans_the_same_runs_again()
    {
        var spec = StoredConfig.WriteSpec(QuickSweep.Request(seeds: [1, 2]));

        var again = SweepPlanner.Plan(StoredConfig.ReadSpec<SweepRequest>(spec));

        Assert.Contains("\"numEnvs\":32", spec); // settings stay at the top level, as the API takes them
        Assert.Equal(SweepPlanner.Plan(QuickSweep.Request(seeds: [1, 2])).Runs.Select(r => r.Config), again.Runs.Select(r => r.Config));
    }
}

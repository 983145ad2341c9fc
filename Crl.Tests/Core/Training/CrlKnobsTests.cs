using System.Text.Json;
using Crl.Core.Environments;
using Crl.Core.Training;
using Xunit;

namespace Crl.Tests.Core.Training;

/// <summary>The knob catalogue: values read as the command line and the API give them, and checked as declared.</summary>
public class CrlKnobsTests
{
    [Fact]
    public void Command_line_text_reads_as_the_knobs_type()
    {
        Assert.Equal(100_000_000L, CrlKnobs.Get(nameof(CrlConfig.TotalEnvSteps)).Parse("1e8"));
        Assert.Equal(100_000_000L, CrlKnobs.Get(nameof(CrlConfig.TotalEnvSteps)).Parse("100_000_000"));
        Assert.Equal(AutoResetMode.Resample, CrlKnobs.Get(nameof(CrlConfig.ResetMode)).Parse("resample"));
        Assert.Equal(false, CrlKnobs.Get(nameof(CrlConfig.EvalBeforeTraining)).Parse("no"));
        Assert.Equal(0.95, CrlKnobs.Get(nameof(CrlConfig.Gamma)).Parse("0.95"));

        var error = Assert.Throws<FormatException>(() => CrlKnobs.Get(nameof(CrlConfig.NumEnvs)).Parse("1.5"));
        Assert.Equal("--num-envs: cannot read '1.5' as int32; it must be an integer in [1, 65536]", error.Message);
        Assert.Throws<FormatException>(() => CrlKnobs.Get(nameof(CrlConfig.NumEnvs)).Parse("3000000000"));
    }

    [Fact]
    public void Api_json_reads_numbers_given_as_numbers_or_strings_and_names_the_field_otherwise()
    {
        static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
        var numEnvs = CrlKnobs.Get(nameof(CrlConfig.NumEnvs));

        Assert.Equal(64, numEnvs.Read(Json("64")));
        Assert.Equal(64, numEnvs.Read(Json("\"64\"")));
        Assert.Equal(AutoResetMode.Resample, CrlKnobs.Get(nameof(CrlConfig.ResetMode)).Read(Json("\"Resample\"")));
        Assert.Null(CrlKnobs.Get(nameof(CrlConfig.EvalEnv)).Read(Json("null")));
        Assert.Equal("numEnvs must be an integer in [1, 65536]; got 6.5", Assert.Throws<FormatException>(() => numEnvs.Read(Json("6.5"))).Message);
        Assert.Equal("numEnvs must be an integer in [1, 65536]; got null", Assert.Throws<FormatException>(() => numEnvs.Read(Json("null"))).Message);
    }

    [Fact]
    public void Names_are_found_in_the_apis_spelling_in_any_case()
    {
        Assert.True(CrlKnobs.TryFind("numSgdBatchesPerTrainingStep", out var knob));
        Assert.Equal(("NumSgdBatchesPerTrainingStep", "--num-sgd-batches-per-training-step"), (knob.Name, knob.Flag));
        Assert.True(CrlKnobs.TryFind("TotalEnvSteps", out _));
        Assert.False(CrlKnobs.TryFind("learningRate", out _));
    }

    [Fact]
    public void Every_knob_is_declared_and_its_default_is_allowed()
    {
        var defaults = new CrlConfig();
        Assert.Equal(typeof(CrlConfig).GetProperties().Count(p => p.CanWrite), CrlKnobs.All.Count);
        Assert.All(CrlKnobs.All, k => Assert.True(k.Allows(k.ValueIn(defaults)), $"{k.Name}'s default is outside {k.Allowed}"));
    }

    [Fact]
    public void Depth_follows_the_residual_trunks_blocks()
    {
        var depth = CrlKnobs.Get(nameof(CrlConfig.ActorDepth));

        Assert.Equal("a multiple of 4 in [4, 1024]", depth.Allowed);
        Assert.True(depth.Allows(1024));
        Assert.False(depth.Allows(6));
        Assert.False(depth.Allows(1028));
    }

    [Fact]
    public void An_unknown_environment_is_refused_with_every_id()
    {
        var error = Assert.Single(new CrlConfig { EvalEnv = "moon" }.Validate());
        Assert.StartsWith("EvalEnv (--eval-env) must be one of ", error);
        Assert.All(EnvRegistry.Ids, id => Assert.Contains(id, error));
    }
}

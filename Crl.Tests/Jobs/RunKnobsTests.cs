using Crl.Core.Training;
using Crl.Jobs.Sweeps;
using Crl.Tests.Jobs.Cli;
using Crl.Tests.Core.Training;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>
/// A knob's declaration is the one place its range lives: the validator, the command line's help and errors, the
/// API's problem details and README all say what the declaration says. Ranges are read from it, never written here.
/// </summary>
[Collection(TrainerCollection.Name)] // the command line writes to the process-wide console
public class RunKnobsTests
{
    private static readonly Knob Width = CrlKnobs.Get(nameof(CrlConfig.ActorWidth));
    private static readonly Knob NumEnvs = CrlKnobs.Get(nameof(CrlConfig.NumEnvs));

    [Fact]
    public async Task A_declared_range_reaches_the_validator_the_command_line_and_the_api()
    {
        var tooWide = (int)Width.Max!.Value + 1;
        var tooMany = (int)NumEnvs.Max!.Value + 1;

        Assert.Equal($"ActorWidth (--actor-width) must be {Width.Allowed}; got {tooWide}", Assert.Single(new CrlConfig { ActorWidth = tooWide }.Validate()));

        var (code, help, _) = await CliTests.Run("train", "--help");
        Assert.Equal(0, code);
        var flagLine = help.Split('\n').Single(l => l.TrimStart().StartsWith("--actor-width ", StringComparison.Ordinal));
        Assert.Contains(Width.Allowed, flagLine);
        Assert.Contains($"[default: {Width.Default}]", flagLine);

        (code, _, var error) = await CliTests.Run("describe", "--width", tooWide.ToString());
        Assert.Equal(2, code);
        Assert.Contains($"ActorWidth (--actor-width) must be {Width.Allowed}; got {tooWide}", error);

        // What POST /api/sweeps answers with: problem details keyed by the request's camelCase field.
        var request = new SweepRequest
        {
            Name = "ranges", Envs = ["point_u_maze"], Depths = [4], Widths = [tooWide], BatchSizes = [256], Seeds = [1],
            Settings = QuickSweep.Settings(new { numEnvs = tooMany, totalEnvSteps = 2_000_000 }),
        };
        var errors = Assert.Throws<SweepRejected>(() => SweepPlanner.Plan(request)).Errors;
        Assert.Equal($"width must be {Width.Allowed}; got {tooWide}", Assert.Single(errors["widths[0]"]));

        errors = Assert.Throws<SweepRejected>(() => SweepPlanner.Plan(request with { Widths = [256] })).Errors;
        Assert.Contains($"must be {NumEnvs.Allowed}; got {tooMany}", Assert.Single(errors["numEnvs"]));
    }

    [Fact]
    public async Task Readme_lists_the_knobs_as_declared()
    {
        var (code, table, _) = await CliTests.Run("knobs", "--markdown");
        Assert.Equal(0, code);

        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        const string begin = "<!-- knobs:begin -->\n", end = "<!-- knobs:end -->";
        var start = readme.IndexOf(begin, StringComparison.Ordinal) + begin.Length;
        Assert.True(start >= begin.Length, "README.md has no <!-- knobs:begin --> marker");
        var written = readme[start..readme.IndexOf(end, start, StringComparison.Ordinal)];
        Assert.True(written == table, "README.md's \"Run knobs\" table differs from the declarations; paste the output of `dotnet run --project Crl.Jobs -- knobs --markdown` between its markers");
        Assert.All(CrlKnobs.All, k => Assert.Contains($"| `{k.ApiName}` | `{k.Flag}` |", written));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Crl.Web.sln"))) return directory.FullName;
        throw new DirectoryNotFoundException($"no Crl.Web.sln above {AppContext.BaseDirectory}");
    }
}

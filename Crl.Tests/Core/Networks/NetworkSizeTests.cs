using Crl.Core.Networks;
using Xunit;

namespace Crl.Tests.Core.Networks;

public class NetworkSizeTests
{
    // Humanoid: state 268, goal 3, action 17 — the dims behind algorithm.md §1.5's example.
    const int State = 268, Goal = 3, Action = 17;

    [Theory]
    [InlineData(4, 0.36, 0.28, 0.34, 0.98)]
    [InlineData(16, 1.15, 1.08, 1.14, 3.4)]
    [InlineData(64, 4.33, 4.26, 4.32, 12.9)]
    [InlineData(256, 17.1, 17.0, 17.1, 51)]
    [InlineData(1024, 68.0, 67.9, 68.0, 204)]
    public void Closed_form_counts_match_the_spec_table(int depth, double saMillions, double gMillions, double actorMillions, double totalMillions)
    {
        var sizes = NetworkSizes.Of(State, Goal, Action, 256, depth, 256, depth);

        // The table rounds to the digits it prints.
        Assert.Equal(saMillions, sizes.SaEncoder / 1e6, RoundedTo(saMillions));
        Assert.Equal(gMillions, sizes.GEncoder / 1e6, RoundedTo(gMillions));
        Assert.Equal(actorMillions, sizes.Actor / 1e6, RoundedTo(actorMillions));
        Assert.InRange(sizes.Total / 1e6, totalMillions * 0.97, totalMillions * 1.03);
    }

    [Theory]
    [InlineData(4, 256, 8, 64)]
    [InlineData(16, 64, 4, 32)]
    [InlineData(8, 32, 12, 48)]
    public void Closed_form_counts_equal_the_modules_parameters(int actorDepth, int actorWidth, int criticDepth, int criticWidth)
    {
        using var actor = new GaussianActor(State + Goal, Action, actorWidth, actorDepth);
        using var critic = new ContrastiveCritic(State, Action, Goal, criticWidth, criticDepth);

        var sizes = NetworkSizes.Of(State, Goal, Action, actorWidth, actorDepth, criticWidth, criticDepth);

        Assert.Equal(sizes.Actor, actor.parameters().Sum(p => p.numel()));
        Assert.Equal(sizes.SaEncoder, critic.SaEncoder.parameters().Sum(p => p.numel()));
        Assert.Equal(sizes.GEncoder, critic.GEncoder.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Depth_must_be_a_multiple_of_four()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ResidualTrunk(4, 16, 6));
        Assert.Contains("multiple of 4", error.Message);
    }

    static int RoundedTo(double printed) => printed >= 10 ? 0 : 2;
}

using Crl.Core.Networks;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Crl.Tests.Core.Networks;

// Seeds and draws from libtorch's process-wide generator: no other test may draw from it meanwhile.
[Collection(Crl.Tests.Core.Training.TrainerCollection.Name)]
public class GaussianActorTests
{
    [Fact]
    public void Log_std_stays_in_the_paper_range_and_actions_in_the_unit_box()
    {
        random.manual_seed(3);
        using var actor = new GaussianActor(6, 2, 32, 4);
        // Large inputs push the log-std head towards its bounds.
        using var observation = randn(512, 6) * 100;

        var (mean, logStd) = actor.forward(observation);
        var (action, logProb) = actor.Sample(observation);
        using var deterministic = actor.Deterministic(observation);

        Assert.True(logStd.min().item<float>() >= GaussianActor.LogStdMin);
        Assert.True(logStd.max().item<float>() <= GaussianActor.LogStdMax);
        Assert.True(action.abs().max().item<float>() <= 1f);
        Assert.Equal(new long[] { 512 }, logProb.shape);
        Assert.True(allclose(deterministic, mean.tanh()));
        foreach (var t in new[] { mean, logStd, action, logProb }) t.Dispose();
    }

    [Fact]
    public void Tanh_gaussian_log_prob_matches_a_histogram_of_its_own_samples()
    {
        random.manual_seed(11);
        const int n = 400_000;
        using var mean = full(n, 1, 0.4f);
        using var logStd = full(n, 1, (float)Math.Log(0.6));

        var (action, logProb) = TanhGaussian.Sample(mean, logStd);
        var actions = action.squeeze(1).data<float>().ToArray();
        var logProbs = logProb.data<float>().ToArray();

        // Density at a few points: fraction of samples in a small bin / bin width, versus exp(log π) there.
        foreach (var centre in new[] { -0.5, 0.0, 0.3, 0.7 })
        {
            const double half = 0.02;
            var empirical = actions.Count(a => Math.Abs(a - centre) < half) / (n * 2 * half);
            var nearest = Enumerable.Range(0, n).MinBy(i => Math.Abs(actions[i] - centre));
            var analytic = Math.Exp(logProbs[nearest]);
            Assert.InRange(empirical / analytic, 0.93, 1.07);
        }
        action.Dispose();
        logProb.Dispose();
    }

    [Fact]
    public void Tanh_gaussian_log_prob_is_the_change_of_variables_formula()
    {
        using var mean = tensor(new float[] { 0.1f, -0.2f }).reshape(1, 2);
        using var logStd = tensor(new float[] { -0.3f, 0.5f }).reshape(1, 2);
        using var preTanh = tensor(new float[] { 0.4f, -1.1f }).reshape(1, 2);
        using var action = preTanh.tanh();

        using var logProb = TanhGaussian.LogProb(preTanh, action, mean, logStd);

        double expected = 0;
        double[] m = [0.1, -0.2], s = [Math.Exp(-0.3), Math.Exp(0.5)], u = [0.4, -1.1];
        for (int d = 0; d < 2; d++)
        {
            var z = (u[d] - m[d]) / s[d];
            expected += -0.5 * z * z - Math.Log(s[d]) - 0.5 * Math.Log(2 * Math.PI) - Math.Log(1 - Math.Tanh(u[d]) * Math.Tanh(u[d]) + 1e-6);
        }
        Assert.Equal(expected, logProb.item<float>(), 4);
    }
}

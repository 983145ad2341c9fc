using Crl.Core.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Training;

/// <summary>Settings of <see cref="RegressionWarmup"/>.</summary>
/// <param name="Steps">Adam steps to take.</param>
/// <param name="Width">Width of the residual trunk.</param>
/// <param name="Depth">Dense layers inside residual blocks (a multiple of 4).</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="Seed">Seed of the target and of the initialisation.</param>
/// <param name="Device">auto, cpu or cuda.</param>
public sealed record RegressionWarmupConfig(
    int Steps = 200,
    int Width = 64,
    int Depth = 4,
    int BatchSize = 256,
    long Seed = 1,
    string Device = "auto");

/// <summary>One reported point of a warm-up fit.</summary>
public sealed record RegressionWarmupPoint(int Step, double Loss, double Elapsed);

/// <summary>
/// A small but real training workload: a residual trunk fits a fixed random smooth function with Adam.
/// It exercises the whole job path (TorchSharp on the worker, progress, metrics) until the CRL trainer
/// takes its place, and it is what <c>/healthz</c>-style checks and the first end-to-end test run.
/// </summary>
public static class RegressionWarmup
{
    const int InputDim = 8;

    public static RegressionWarmupPoint Fit(RegressionWarmupConfig config, Action<RegressionWarmupPoint> report, CancellationToken cancellation)
    {
        var device = Torch.TorchDevice.Resolve(config.Device);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        random.manual_seed(config.Seed);

        using var trunk = new ResidualTrunk(InputDim, config.Width, config.Depth);
        using var head = DenseInit.Linear(config.Width, 1);
        trunk.to(device);
        head.to(device);
        using var projection = randn(InputDim, 1, device: device);
        var parameters = trunk.parameters().Concat(head.parameters());
        using var optimizer = optim.Adam(parameters, lr: 3e-4);

        RegressionWarmupPoint last = new(0, double.NaN, 0);
        for (int step = 1; step <= config.Steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var x = randn(config.BatchSize, InputDim, device: device);
            var target = sin(x.matmul(projection));
            var prediction = head.forward(trunk.forward(x));
            var loss = nn.functional.mse_loss(prediction, target);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();

            if (step % 10 == 0 || step == config.Steps)
            {
                last = new RegressionWarmupPoint(step, loss.item<float>(), clock.Elapsed.TotalSeconds);
                report(last);
            }
        }
        return last;
    }
}

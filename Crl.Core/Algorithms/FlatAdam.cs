using Crl.Core.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crl.Core.Algorithms;

/// <summary>
/// Adam (Kingma &amp; Ba; optax defaults β₁ 0.9, β₂ 0.999, ε 1e-8, no weight decay — algorithm.md §2.4) over parameters that
/// live in one contiguous buffer. Construction moves every parameter and its gradient into views of a flat tensor, so
/// an update is six whole-buffer operations instead of about ten per parameter tensor — the per-op overhead that
/// dominated deep, narrow networks (stack.md: a depth-64 critic has ~520 parameter tensors). Backward accumulates
/// into the existing gradient views in place, which is libtorch's behaviour whenever a gradient is already defined.
/// A step walks the buffers in chunks of <see cref="ChunkLength"/> values and applies all of Adam's operations to one
/// chunk before the next, so each chunk's values, gradients and moments are read from memory once and stay in cache
/// for the other operations (a depth-64 agent's buffers hold 12.6M values each, far more than the cache); the result
/// is the same, value for value, as the operations over whole buffers.
/// </summary>
public sealed class FlatAdam : IDisposable
{
    public const double Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8;

    /// <summary>
    /// Values per chunk of a step: the five chunks it touches (values, gradient, two moments, denominator) take 5 MiB,
    /// within a server core's share of cache, while the per-operation overhead of a few dozen chunks stays negligible.
    /// A multiple of 64, so every chunk but the last runs libtorch's vectorised loops to its end.
    /// </summary>
    public const long ChunkLength = 1 << 18;

    private readonly Parameter[] parameters;
    private readonly Tensor values, gradients, expAvg, expAvgSq, denominator;
    private readonly (Tensor Value, Tensor Gradient, Tensor ExpAvg, Tensor ExpAvgSq, Tensor Denominator)[] chunks;

    public FlatAdam(IEnumerable<Parameter> parameters, double lr)
    {
        this.parameters = [.. parameters];
        if (this.parameters.Length == 0) throw new ArgumentException("no parameters to optimise", nameof(parameters));
        if (!(lr > 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "learning rate must be positive");
        LearningRate = lr;
        var device = this.parameters[0].device;
        var total = this.parameters.Sum(p => p.numel());
        values = empty(total, device: device);
        gradients = zeros(total, device: device);
        expAvg = zeros(total, device: device);
        expAvgSq = zeros(total, device: device);
        // Chunks are for a CPU's cache; a GPU gains nothing from them and pays a kernel launch per chunk and operation.
        var chunkLength = device.type == DeviceType.CPU ? ChunkLength : total;
        // Kept across steps: allocating the denominator afresh each step faulted in new pages every update.
        denominator = empty(Math.Min(total, chunkLength), device: device);
        chunks = new (Tensor, Tensor, Tensor, Tensor, Tensor)[(total + chunkLength - 1) / chunkLength];
        for (int c = 0; c < chunks.Length; c++)
        {
            long start = c * chunkLength, length = Math.Min(chunkLength, total - start);
            chunks[c] = (values.narrow(0, start, length), gradients.narrow(0, start, length), expAvg.narrow(0, start, length),
                expAvgSq.narrow(0, start, length), denominator.narrow(0, 0, length));
        }
        using (no_grad())
        {
            long offset = 0;
            foreach (var p in this.parameters)
            {
                var n = p.numel();
                var value = values.narrow(0, offset, n).view(p.shape);
                value.copy_(p);
                p.set_(value);
                p.grad = gradients.narrow(0, offset, n).view(p.shape);
                offset += n;
            }
        }
    }

    public double LearningRate { get; }

    /// <summary>Adam steps taken (drives the bias correction).</summary>
    public long Steps { get; private set; }

    /// <summary>All parameters' gradients, concatenated in construction order (a view, not a copy).</summary>
    public Tensor Gradients => gradients;

    public void ZeroGrad() => gradients.zero_();

    public void Step()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Steps++;
        var biasCorrection1 = 1 - Math.Pow(Beta1, Steps);
        var biasCorrection2 = 1 - Math.Pow(Beta2, Steps);
        // Explicit Scalars held by `using`: see Scalars for the TorchSharp race that implicit ones run into.
        using var beta1 = Beta1.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var sqrtBiasCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var eps = Eps.ToScalar();
        using var stepSize = (-LearningRate / biasCorrection1).ToScalar();
        foreach (var (value, gradient, m, v, d) in chunks)
        {
            m.mul_(beta1).add_(gradient, oneMinusBeta1);
            v.mul_(beta2).addcmul_(gradient, gradient, oneMinusBeta2);
            // p ← p − lr · m̂ / (√v̂ + ε), with m̂ = m / (1 − β₁ᵗ) and v̂ = v / (1 − β₂ᵗ).
            d.copy_(v).sqrt_().div_(sqrtBiasCorrection2).add_(eps, Scalars.One);
            value.addcdiv_(m, d, stepSize);
        }
    }

    /// <summary>The optimiser state for checkpoints: first and second moments and the step count.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> State(string prefix) =>
    [
        (prefix + ".exp_avg", expAvg),
        (prefix + ".exp_avg_sq", expAvgSq),
        (prefix + ".step", tensor(new[] { Steps })),
    ];

    public void LoadState(IReadOnlyDictionary<string, Tensor> tensors, string prefix)
    {
        Tensor Get(string key) => tensors.TryGetValue(prefix + key, out var t) ? t
            : throw new InvalidDataException($"checkpoint has no optimiser tensor '{prefix + key}'");
        var m = Get(".exp_avg"); var v = Get(".exp_avg_sq");
        if (m.numel() != expAvg.numel() || v.numel() != expAvgSq.numel())
            throw new InvalidDataException($"optimiser state '{prefix}' holds {m.numel()} values; the model has {expAvg.numel()}");
        using (no_grad())
        {
            expAvg.copy_(m);
            expAvgSq.copy_(v);
        }
        Steps = Get(".step").data<long>()[0];
    }

    public void Dispose()
    {
        foreach (var chunk in chunks)
        {
            chunk.Value.Dispose();
            chunk.Gradient.Dispose();
            chunk.ExpAvg.Dispose();
            chunk.ExpAvgSq.Dispose();
            chunk.Denominator.Dispose();
        }
        denominator.Dispose();
        values.Dispose();
        gradients.Dispose();
        expAvg.Dispose();
        expAvgSq.Dispose();
    }
}

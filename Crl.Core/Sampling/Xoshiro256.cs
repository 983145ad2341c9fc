namespace Crl.Core.Sampling;

/// <summary>
/// xoshiro256** — a small, fast generator whose whole state is four words, so environments, the replay sampler
/// and checkpoints can own, copy and restore it exactly (System.Random's state is not serialisable).
/// </summary>
public struct Xoshiro256
{
    private ulong s0, s1, s2, s3;

    public Xoshiro256(ulong seed)
    {
        // SplitMix64 expands the seed, as the xoshiro authors recommend.
        s0 = SplitMix(ref seed); s1 = SplitMix(ref seed); s2 = SplitMix(ref seed); s3 = SplitMix(ref seed);
    }

    public static Xoshiro256 FromState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 4) throw new ArgumentException("xoshiro256 state has four words", nameof(state));
        return new Xoshiro256 { s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3] };
    }

    public readonly ulong[] State => [s0, s1, s2, s3];

    public ulong NextULong()
    {
        var result = ulong.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [lo, hi).</summary>
    public double NextDouble(double lo, double hi) => lo + (hi - lo) * NextDouble();

    /// <summary>Uniform integer in [0, n) (Lemire's multiply-shift; the bias is below 2⁻³² for n &lt; 2³²).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be positive");
        return (int)(((NextULong() >> 32) * (ulong)n) >> 32);
    }

    /// <summary>Standard normal (Box–Muller; one draw per call keeps the state a pure function of the call count).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

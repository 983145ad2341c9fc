using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Torch;

/// <summary>
/// Scalar arithmetic that is safe from a TorchSharp 0.107 race: its methods pass a <see cref="Scalar"/>'s native handle
/// to libtorch without keeping the managed object alive, so an implicit temporary (the 2 in <c>x.square()</c> =
/// <c>x.pow(2)</c>, the 1 in <c>a + b</c> = <c>a.add(b, 1)</c>, the 0.5 in <c>0.5 * x</c>) can be finalised while the
/// native call runs, and libtorch then reads freed memory ("Unknown scalar type" from Scalar.h, seen in 2 of 6
/// 45-second training runs). Hot paths use these instead: constants live in static fields (never collected), other
/// values in a <c>using</c> scope that outlives the call.
/// </summary>
public static class Scalars
{
    public static readonly Scalar One = 1.0.ToScalar();
    public static readonly Scalar MinusOne = (-1.0).ToScalar();

    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a − b.</summary>
    public static Tensor Minus(this Tensor a, Tensor b) => a.add(b, MinusOne);

    /// <summary>a².</summary>
    public static Tensor Squared(this Tensor a) => a.mul(a);

    /// <summary>a + k.</summary>
    public static Tensor Plus(this Tensor a, double k)
    {
        using var s = k.ToScalar();
        return a.add(s, One);
    }

    /// <summary>k · a.</summary>
    public static Tensor Times(this Tensor a, double k)
    {
        using var s = k.ToScalar();
        return a.mul(s);
    }

    /// <summary>a ← a + b (in place).</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);
}

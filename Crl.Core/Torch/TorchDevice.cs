using static TorchSharp.torch;

namespace Crl.Core.Torch;

/// <summary>The compute device as users name it: <c>auto</c> (CUDA when this build and machine have it), <c>cpu</c> or <c>cuda</c>.</summary>
public static class TorchDevice
{
    public static readonly IReadOnlyList<string> Names = ["auto", "cpu", "cuda"];

    public static bool IsValidName(string? name) => name is not null && Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether this build carries libtorch's CUDA backend (<c>-p:CrlTorchBackend=cuda</c>); known without loading libtorch.</summary>
    public const bool BuiltWithCuda =
#if CRL_TORCH_CUDA
        true;
#else
        false;
#endif

    public static Device Resolve(string name) => name.ToLowerInvariant() switch
    {
        "auto" => cuda.is_available() ? CUDA : CPU,
        "cpu" => CPU,
        "cuda" => cuda.is_available()
            ? CUDA
            : throw new InvalidOperationException(
                "device 'cuda' was requested but CUDA is not available: build with -p:CrlTorchBackend=cuda on a machine with an NVIDIA GPU, or use 'cpu'"),
        _ => throw new ArgumentException($"device must be one of {string.Join(", ", Names)}; got '{name}'", nameof(name)),
    };
}

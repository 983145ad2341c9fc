using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Crl.Core.Environments.MuJoCo;

/// <summary>Whether MuJoCo can be used in this process, and why not when it cannot.</summary>
public sealed record MujocoAvailability(MujocoLibrary? Library, string Reason)
{
    public bool Available => Library is not null;
}

/// <summary>
/// Debian's libmujoco 2.2.2, loaded once per process and checked before use: the version must be 222 and every
/// struct offset in <see cref="MujocoLayout"/> must read back what a probe model is known to contain. Any failure
/// becomes a reason string (the MuJoCo tasks then report themselves unavailable), never an exception at start-up.
/// </summary>
public sealed class MujocoLibrary
{
    /// <summary>The SONAME of Debian's package (environments.md §6); the unversioned .so exists only with -dev.</summary>
    public const string DefaultLibraryName = "libmujoco.so.2.2.2";
    public const string InstallCommand = "sudo apt-get install libmujoco2.2.2";

    private static readonly Lazy<MujocoAvailability> shared = new(() => Load(DefaultLibraryName));
    private static ILogger logger = NullLogger.Instance;
    private static long warningCount;
    // Kept in a static so the GC never collects the delegate MuJoCo calls back into.
    private static readonly MujocoNative.MessageFn WarningCallback = OnWarning;

    private MujocoLibrary(MujocoNative native, int version)
    {
        Native = native;
        Version = version;
    }

    /// <summary>The process-wide library, loaded on first use.</summary>
    public static MujocoAvailability Shared => shared.Value;

    /// <summary>Where MuJoCo's warnings (e.g. "bad qacc", which resets that mjData) are reported.</summary>
    public static ILogger Logger { get => logger; set => logger = value ?? NullLogger.Instance; }

    /// <summary>How many MuJoCo warnings this process has received.</summary>
    public static long WarningCount => Interlocked.Read(ref warningCount);

    public int Version { get; }
    internal MujocoNative Native { get; }

    /// <summary>Load and verify the library file <paramref name="libraryName"/> (a name dlopen resolves, or a path).</summary>
    public static MujocoAvailability Load(string libraryName)
    {
        if (!NativeLibrary.TryLoad(libraryName, out var handle))
            return new(null, $"MuJoCo 2.2.2 is not installed ({libraryName} not found); install it with `{InstallCommand}` or `bash scripts/setup.sh`");
        MujocoNative native;
        try { native = MujocoNative.Bind(handle); }
        catch (EntryPointNotFoundException e)
        {
            return new(null, $"{libraryName} is not a usable MuJoCo 2.2.2 ({e.Message}); install it with `{InstallCommand}`");
        }
        var version = native.Version();
        if (version != MujocoLayout.Version)
            return new(null, $"{libraryName} reports MuJoCo version {version}, but the struct layout here is for {MujocoLayout.Version}; install it with `{InstallCommand}`");
        // MuJoCo's default warning handler prints to stdout and appends to MUJOCO_LOG.TXT in the working directory.
        Marshal.WriteIntPtr(native.UserWarningHook, Marshal.GetFunctionPointerForDelegate(WarningCallback));
        var library = new MujocoLibrary(native, version);
        var mismatch = MujocoLayoutProbe.Verify(library);
        return mismatch is null
            ? new(library, "")
            : new(null, $"MuJoCo {version} in {libraryName} does not match the struct layout this build reads: {mismatch}");
    }

    private static void OnWarning(IntPtr message)
    {
        var count = Interlocked.Increment(ref warningCount);
        // Warnings repeat per environment (thousands of slots); the first few say what is wrong.
        if (count <= 20) logger.LogWarning("MuJoCo warning: {Message}", Marshal.PtrToStringAnsi(message));
        else if (count == 21) logger.LogWarning("MuJoCo warnings: further warnings are counted but not logged");
    }
}

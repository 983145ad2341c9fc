using System.IO.Compression;
using System.Security.Cryptography;

namespace Crl.Jobs.Runs;

/// <summary>A kept checkpoint directory packed into one downloadable file, with its size and SHA-256.</summary>
public sealed record ArchivedCheckpoint(string Path, long SizeBytes, string Sha256);

public static class CheckpointArchive
{
    /// <summary>
    /// Zips <paramref name="directory"/> beside itself (safetensors barely compress, so files are stored) and removes
    /// the directory: only the resumable <c>latest</c> checkpoint stays unpacked.
    /// </summary>
    public static ArchivedCheckpoint Pack(string directory)
    {
        var archive = Path.TrimEndingDirectorySeparator(directory) + ".zip";
        var partial = archive + ".partial";
        File.Delete(partial);
        ZipFile.CreateFromDirectory(directory, partial, CompressionLevel.NoCompression, includeBaseDirectory: false);
        File.Move(partial, archive, overwrite: true);
        Directory.Delete(directory, recursive: true);

        using var stream = File.OpenRead(archive);
        var sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new ArchivedCheckpoint(archive, stream.Length, sha);
    }

    /// <summary>
    /// Calls <paramref name="use"/> with a checkpoint directory: <paramref name="path"/> itself, or a kept checkpoint's
    /// zip unpacked into a temporary directory that is removed afterwards.
    /// </summary>
    public static T Open<T>(string path, Func<string, T> use)
    {
        if (Directory.Exists(path)) return use(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' is neither a checkpoint directory nor a checkpoint zip", path);
        var unpacked = Directory.CreateTempSubdirectory("crl-checkpoint-");
        try
        {
            ZipFile.ExtractToDirectory(path, unpacked.FullName);
            return use(unpacked.FullName);
        }
        finally
        {
            unpacked.Delete(recursive: true);
        }
    }
}

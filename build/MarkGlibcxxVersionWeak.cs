using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Sets VER_FLG_WEAK on one symbol-version requirement of libLibTorchSharp.so (ELF64, little endian).
// Idempotent: a flag already set leaves the file untouched.
public class MarkGlibcxxVersionWeak : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    [Required] public string[] Directories { get; set; }
    [Required] public string VersionName { get; set; }

    public override bool Execute()
    {
        foreach (var dir in Directories)
        {
            if (!Directory.Exists(dir)) continue;
            foreach (var path in Directory.EnumerateFiles(dir, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                var result = Patch(path);
                if (result != null) Log.LogMessage(MessageImportance.Normal, "{0}: {1}", path, result);
            }
        }
        return !Log.HasLoggedErrors;
    }

    string Patch(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[4] != 2 || bytes[5] != 1)
            return "not a little-endian ELF64 file, left alone";

        long shoff = BitConverter.ToInt64(bytes, 0x28);
        int shentsize = BitConverter.ToUInt16(bytes, 0x3A);
        int shnum = BitConverter.ToUInt16(bytes, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(bytes, (int)sh + 4) != ShtGnuVerneed) continue;
            long offset = BitConverter.ToInt64(bytes, (int)sh + 0x18);
            int link = BitConverter.ToInt32(bytes, (int)sh + 0x28);
            int count = BitConverter.ToInt32(bytes, (int)sh + 0x2C);
            long strtab = BitConverter.ToInt64(bytes, (int)(shoff + (long)link * shentsize) + 0x18);

            long need = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(bytes, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(bytes, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int flagsAt = (int)aux + 4;
                    string name = ReadString(bytes, strtab + BitConverter.ToUInt32(bytes, (int)aux + 8));
                    if (name == VersionName)
                    {
                        ushort flags = BitConverter.ToUInt16(bytes, flagsAt);
                        if ((flags & VerFlgWeak) != 0) return VersionName + " already weak";
                        flags |= VerFlgWeak;
                        BitConverter.GetBytes(flags).CopyTo(bytes, flagsAt);
                        // Write a new file and move it over: the output copy may be a hard link into the NuGet cache.
                        File.WriteAllBytes(path + ".patching", bytes);
                        File.Replace(path + ".patching", path, null);
                        return VersionName + " marked weak";
                    }
                    aux += BitConverter.ToUInt32(bytes, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(bytes, (int)need + 12);
            }
        }
        return "no " + VersionName + " requirement, nothing to do";
    }

    static string ReadString(byte[] bytes, long at)
    {
        int end = (int)at;
        while (bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)at, end - (int)at);
    }
}

using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Checkpoints;

/// <summary>
/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON header mapping each
/// name to {dtype, shape, data_offsets} plus an optional <c>__metadata__</c> string map, then the raw little-endian
/// tensor bytes. PyTorch reads it with <c>safetensors.torch.load_file</c>. Written here in a few lines rather than
/// through a package, because the format is that small and our needs are float32 and bytes.
/// </summary>
public static class SafeTensors
{
    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, t) in tensors)
        {
            using var cpu = t.detach().cpu().contiguous();
            var (dtype, bytes) = cpu.dtype switch
            {
                ScalarType.Float32 => ("F32", FloatBytes(cpu)),
                ScalarType.Byte => ("U8", cpu.data<byte>().ToArray()),
                ScalarType.Int64 => ("I64", LongBytes(cpu)),
                var other => throw new NotSupportedException($"tensor '{name}' has dtype {other}; safetensors writer supports float32, uint8 and int64"),
            };
            header[name] = new JsonObject
            {
                ["dtype"] = dtype,
                ["shape"] = new JsonArray([.. cpu.shape.Select(d => (JsonNode)d)]),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;
        var tmp = path + ".tmp";
        using (var stream = File.Create(tmp))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var blob in blobs) stream.Write(blob);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads every tensor (on the CPU) and the metadata.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        var file = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        using var header = JsonDocument.Parse(file.AsMemory(8, headerLength));
        var dataStart = 8 + headerLength;
        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string>();
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                foreach (var m in entry.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                continue;
            }
            var dtype = entry.Value.GetProperty("dtype").GetString();
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var bytes = file.AsSpan(dataStart + (int)offsets[0], (int)(offsets[1] - offsets[0]));
            tensors[entry.Name] = dtype switch
            {
                "F32" => tensor(FromBytes<float>(bytes), shape),
                "U8" => tensor(bytes.ToArray(), shape),
                "I64" => tensor(FromBytes<long>(bytes), shape),
                _ => throw new NotSupportedException($"'{path}': tensor '{entry.Name}' has unsupported dtype {dtype}"),
            };
        }
        return (tensors, metadata);
    }

    static byte[] FloatBytes(Tensor t)
    {
        var values = t.data<float>().ToArray();
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    static byte[] LongBytes(Tensor t)
    {
        var values = t.data<long>().ToArray();
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), values[i]);
        return bytes;
    }

    static T[] FromBytes<T>(ReadOnlySpan<byte> bytes) where T : unmanaged
    {
        // Every machine .NET runs TorchSharp on is little-endian, like the format.
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }
}

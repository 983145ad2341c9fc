using System.Buffers.Binary;
using System.Text.Json;
using Crl.Core.Algorithms;
using Crl.Core.Checkpoints;
using Crl.Tests.Core.Algorithms;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Crl.Tests.Core.Checkpoints;

public class PolicyExportTests
{
    [Fact]
    public void Policy_export_is_a_safetensors_file_with_the_documented_keys()
    {
        using var agent = new CrlAgent(TestAgents.Spec(width: 16, actorDepth: 8, criticDepth: 4), CPU);
        var path = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.safetensors");
        try
        {
            PolicyExport.Save(path, agent, "point_u_maze");

            var bytes = File.ReadAllBytes(path);
            var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            Assert.Equal(0, (8 + headerLength) % 8);
            using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
            var names = header.RootElement.EnumerateObject().Select(p => p.Name).Where(n => n != "__metadata__").ToHashSet();
            Assert.Contains("trunk.inputProjection.dense.weight", names);
            Assert.Contains("trunk.inputProjection.norm.bias", names);
            Assert.Contains("trunk.blocks.1.layers.3.dense.weight", names);
            Assert.Contains("mean.weight", names);
            Assert.Contains("logStd.bias", names);
            Assert.Equal(4 + 2 * 4 * 4 + 2 * 2, names.Count); // input projection, 2 blocks × 4 layers, two heads (4, 4 and 2 tensors each)
            var first = header.RootElement.GetProperty("trunk.inputProjection.dense.weight");
            Assert.Equal("F32", first.GetProperty("dtype").GetString());
            Assert.Equal(new long[] { 16, 6 }, first.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
            var lastOffset = names.Max(n => header.RootElement.GetProperty(n).GetProperty("data_offsets")[1].GetInt64());
            Assert.Equal(bytes.Length - 8 - headerLength, lastOffset);

            var (tensors, metadata) = SafeTensors.Load(path);
            Assert.Equal("8", metadata["depth"]);
            Assert.Equal("point_u_maze", metadata["env"]);
            foreach (var (name, p) in agent.Actor.named_parameters())
                Assert.Equal(p.data<float>().ToArray(), tensors[name].data<float>().ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }
}

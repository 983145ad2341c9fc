using System.Reflection;
using System.Reflection.Emit;
using Crl.Core.Training;
using Xunit;

namespace Crl.Tests.Core;

/// <summary>
/// Crl.Core's folders (Torch, Sampling, Environments ← Networks ← Algorithms ← Training, ...) must form layers: a
/// folder that uses another must not be used by it, directly or through others, or neither can be read alone.
/// Dependencies are read from the compiled assembly — signatures, fields, locals and every type, method and field
/// that method bodies mention, so a namespace-qualified reference counts as much as a <c>using</c> line — and from the
/// sources' <c>using Crl.Core.X</c> lines, which also catch uses of constants (compiled into their users' code).
/// </summary>
public class FolderLayeringTests
{
    static readonly Assembly Core = typeof(CrlTrainer).Assembly;

    [Fact]
    public void Folders_of_Crl_Core_have_no_import_cycles()
    {
        var graph = FolderGraph();
        Assert.Contains("Algorithms", graph["Training"]); // the trainer drives the agent: dependencies are being read

        var cycles = Cycles(graph);

        Assert.True(cycles.Count == 0, "folder import cycles in Crl.Core: " + string.Join("; ", cycles.Select(c => string.Join(" → ", c))));
    }

    [Fact]
    public void The_cycle_check_finds_a_cycle()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["Training"] = ["Algorithms", "Torch"],
            ["Algorithms"] = ["Networks"],
            ["Networks"] = ["Training"],
            ["Torch"] = [],
        };
        var cycle = Assert.Single(Cycles(graph));
        Assert.Equal(["Algorithms", "Networks", "Training", "Algorithms"], cycle);
    }

    /// <summary>Top-level folder (namespace segment after <c>Crl.Core</c>) → the folders its types use.</summary>
    static Dictionary<string, HashSet<string>> FolderGraph()
    {
        var graph = new Dictionary<string, HashSet<string>>();
        void Add(string from, string to)
        {
            var uses = graph.TryGetValue(from, out var set) ? set : graph[from] = [];
            if (to != from) uses.Add(to);
        }
        foreach (var type in Core.GetTypes())
            if (Folder(type) is { } from)
                foreach (var used in ReferencedTypes(type))
                    if (Folder(used) is { } to) Add(from, to);

        var sources = Path.Combine(RepositoryRoot(), "Crl.Core");
        foreach (var file in Directory.EnumerateFiles(sources, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(sources, file).Split(Path.DirectorySeparatorChar);
            if (relative.Length < 2 || relative[0] is "bin" or "obj") continue;
            foreach (var line in File.ReadLines(file))
                if (UsingLine.Match(line) is { Success: true } match) Add(relative[0], match.Groups[1].Value);
        }
        return graph;
    }

    static readonly System.Text.RegularExpressions.Regex UsingLine = new(@"^\s*using\s+(?:static\s+)?Crl\.Core\.(\w+)");

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Crl.Core", "Crl.Core.csproj"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Crl.Core/Crl.Core.csproj above {AppContext.BaseDirectory}");
    }

    static string? Folder(Type type)
    {
        while (type.HasElementType) type = type.GetElementType()!;
        if (type.Assembly != Core || type.Namespace is not { } ns || !ns.StartsWith("Crl.Core.", StringComparison.Ordinal)) return null;
        return ns["Crl.Core.".Length..].Split('.')[0];
    }

    static IEnumerable<Type> ReferencedTypes(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new List<Type>();
        if (type.BaseType is { } baseType) found.Add(baseType);
        found.AddRange(type.GetInterfaces());
        found.AddRange(type.GetFields(All).Select(f => f.FieldType));
        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (method is MethodInfo info) found.Add(info.ReturnType);
            found.AddRange(method.GetParameters().Select(p => p.ParameterType));
            var body = method.GetMethodBody();
            if (body is null) continue;
            found.AddRange(body.LocalVariables.Select(l => l.LocalType));
            found.AddRange(TokensIn(body.GetILAsByteArray() ?? [], method));
        }
        return found.SelectMany(Expand);
    }

    /// <summary>A type and the types it is built from (generic arguments, array elements).</summary>
    static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        if (type.HasElementType)
            foreach (var t in Expand(type.GetElementType()!)) yield return t;
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
            foreach (var t in type.GetGenericArguments().SelectMany(Expand)) yield return t;
    }

    static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The types whose members or selves a method body's instructions name.</summary>
    static IEnumerable<Type> TokensIn(byte[] il, MethodBase method)
    {
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs);
                    if (member is Type t) yield return t;
                    else if (member?.DeclaringType is { } declaring) yield return declaring;
                    if (member is FieldInfo f) yield return f.FieldType;
                    if (member is MethodInfo m) yield return m.ReturnType;
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                default:
                    i += op.OperandType switch
                    {
                        OperandType.InlineNone => 0,
                        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                        OperandType.InlineVar => 2,
                        OperandType.InlineI8 or OperandType.InlineR => 8,
                        _ => 4,
                    };
                    break;
            }
        }
    }

    /// <summary>Every cycle, once, as the path from its alphabetically first folder back to it.</summary>
    static List<List<string>> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var cycles = new List<List<string>>();
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            // Only cycles whose smallest folder is start, so each is reported once.
            void Walk(string node, List<string> path)
            {
                foreach (var next in graph.GetValueOrDefault(node, []).Order(StringComparer.Ordinal))
                {
                    if (next == start) { cycles.Add([.. path, start]); continue; }
                    if (string.CompareOrdinal(next, start) < 0 || path.Contains(next)) continue;
                    Walk(next, [.. path, next]);
                }
            }
            Walk(start, [start]);
        }
        return cycles;
    }
}

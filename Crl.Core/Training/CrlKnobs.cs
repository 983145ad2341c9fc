using System.Reflection;
using System.Text;

namespace Crl.Core.Training;

/// <summary>The knobs of <see cref="CrlConfig"/> in declaration order, read once from their <see cref="KnobAttribute"/>s.</summary>
public static class CrlKnobs
{
    public static IReadOnlyList<Knob> All { get; } = Read();

    /// <summary>The knob of a <see cref="CrlConfig"/> property (<c>Get(nameof(CrlConfig.BatchSize))</c>).</summary>
    public static Knob Get(string property) =>
        All.FirstOrDefault(k => k.Name == property) ?? throw new ArgumentException($"CrlConfig has no knob '{property}'", nameof(property));

    /// <summary>A knob by its API name, in any case (<c>batchSize</c>, <c>BatchSize</c>).</summary>
    public static bool TryFind(string name, out Knob knob)
    {
        knob = All.FirstOrDefault(k => string.Equals(k.ApiName, name, StringComparison.OrdinalIgnoreCase))!;
        return knob is not null;
    }

    /// <summary>README's "Run knobs" table; <c>Crl.Jobs knobs --markdown</c> prints it and a test keeps README in step.</summary>
    public static string MarkdownTable()
    {
        var table = new StringBuilder();
        table.AppendLine("| knob | flag | default | allowed | unit | meaning |");
        table.AppendLine("|---|---|---|---|---|---|");
        foreach (var knob in All)
            table.AppendLine($"| `{knob.ApiName}` | `{knob.Flag}` | `{Knob.Format(knob.Default)}` | {knob.Allowed} | {knob.Unit} | {knob.Description} |");
        return table.ToString();
    }

    private static List<Knob> Read()
    {
        var defaults = new CrlConfig();
        var knobs = new List<Knob>();
        // Metadata order is declaration order, the order of the paper's table that CrlConfig follows.
        foreach (var property in typeof(CrlConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).OrderBy(p => p.MetadataToken))
        {
            var declared = property.GetCustomAttribute<KnobAttribute>()
                ?? throw new InvalidOperationException($"CrlConfig.{property.Name} has no [Knob] declaration");
            knobs.Add(new Knob(property, declared, property.GetValue(defaults)));
        }
        return knobs;
    }
}

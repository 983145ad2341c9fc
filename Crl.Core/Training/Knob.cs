using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Crl.Core.Algorithms;
using Crl.Core.Environments;
using Crl.Core.Torch;

namespace Crl.Core.Training;

/// <summary>
/// Declares a <see cref="CrlConfig"/> knob: everything but its name and default (the property and its initialiser).
/// The validator, the command-line flags, the API's messages, the launch form and the README's table read it.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KnobAttribute(string description) : Attribute
{
    /// <summary>One line, for help texts and the README.</summary>
    public string Description { get; } = description;

    /// <summary>A short name for form fields ("Parallel environments"); the description when absent.</summary>
    public string? Label { get; set; }

    /// <summary>Lowest allowed value; NaN when unbounded below.</summary>
    public double Min { get; set; } = double.NaN;

    /// <summary>Highest allowed value; NaN when unbounded above.</summary>
    public double Max { get; set; } = double.NaN;

    public bool MinExclusive { get; set; }
    public bool MaxExclusive { get; set; }

    /// <summary>Whole-number knobs whose values must be a multiple of this (the residual trunk's depth).</summary>
    public int MultipleOf { get; set; } = 1;

    /// <summary>Text knobs whose values come from a list known only at run time.</summary>
    public KnobChoices Choices { get; set; }

    /// <summary>What the number counts, for humans ("layers", "env steps"); empty when dimensionless.</summary>
    public string Unit { get; set; } = "";

    /// <summary>One of the paper's ablation switches: the launch form lists it among them. Its default is the paper's setting.</summary>
    public bool Ablation { get; set; }

    /// <summary>Changes only the memory and time an update takes, never what it computes: the launch form lists it in its Memory panel.</summary>
    public bool ComputeOnly { get; set; }
}

/// <summary>Where a text knob's allowed values come from.</summary>
public enum KnobChoices
{
    None,

    /// <summary>An environment id of <see cref="EnvRegistry"/>.</summary>
    Envs,

    /// <summary>A device name of <see cref="TorchDevice"/>.</summary>
    Devices,

    /// <summary>An <see cref="ActionSelection"/>: <c>policy</c> or <c>argmax-q:K</c>.</summary>
    ActionSelections,
}

/// <summary>One knob of <see cref="CrlConfig"/> as declared: its names, default, allowed values and how to read it.</summary>
public sealed class Knob
{
    private readonly PropertyInfo property;
    private readonly KnobAttribute declared;

    internal Knob(PropertyInfo property, KnobAttribute declared, object? defaultValue)
    {
        this.property = property;
        this.declared = declared;
        Default = defaultValue;
        Type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        IsOptional = Nullable.GetUnderlyingType(property.PropertyType) is not null
            || (!property.PropertyType.IsValueType && new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable);
    }

    /// <summary>The property's name, as CrlConfig and the validator's messages spell it (<c>BatchSize</c>).</summary>
    public string Name => property.Name;

    /// <summary>The API's and stored JSON's spelling (<c>batchSize</c>).</summary>
    public string ApiName => char.ToLowerInvariant(Name[0]) + Name[1..];

    /// <summary>The command line's spelling (<c>--batch-size</c>).</summary>
    public string Flag => "--" + string.Concat(Name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    public string Description => declared.Description;
    public string Label => declared.Label ?? declared.Description;
    public string Unit => declared.Unit;
    public bool IsAblation => declared.Ablation;
    public bool IsComputeOnly => declared.ComputeOnly;
    public object? Default { get; }

    /// <summary>The value's type, without <see cref="Nullable{T}"/>.</summary>
    public Type Type { get; }

    /// <summary>Whether the knob may be left empty (null).</summary>
    public bool IsOptional { get; }

    public double? Min => double.IsNaN(declared.Min) ? null : declared.Min;
    public double? Max => double.IsNaN(declared.Max) ? null : declared.Max;
    public int MultipleOf => declared.MultipleOf;

    private bool IsWholeNumber => Type == typeof(int) || Type == typeof(long);
    private bool IsNumber => IsWholeNumber || Type == typeof(double);

    /// <summary>The values a text or enum knob takes; null for numbers and switches.</summary>
    public IReadOnlyList<string>? Choices => declared.Choices switch
    {
        KnobChoices.Envs => [.. EnvRegistry.Ids],
        KnobChoices.Devices => TorchDevice.Names,
        _ when Type.IsEnum => Enum.GetNames(Type),
        _ => null,
    };

    /// <summary>The allowed values for humans, to follow "must be": "a multiple of 4 in [4, 1024]", "in (0, 1]", "one of auto, cpu, cuda".</summary>
    public string Allowed
    {
        get
        {
            // Environments are too many to list in a help line; `envs` shows them with their shapes.
            if (declared.Choices == KnobChoices.Envs) return "an environment id that `envs` lists";
            if (declared.Choices == KnobChoices.ActionSelections) return ActionSelection.Allowed;
            if (Choices is { } choices) return $"one of {string.Join(", ", choices)}";
            if (Type == typeof(bool)) return "true or false";
            var range = (Min, Max) switch
            {
                ({ } min, { } max) => $"in {(declared.MinExclusive ? "(" : "[")}{Format(min)}, {Format(max)}{(declared.MaxExclusive ? ")" : "]")}",
                ({ } min, null) => $"{(declared.MinExclusive ? ">" : "≥")} {Format(min)}",
                (null, { } max) => $"{(declared.MaxExclusive ? "<" : "≤")} {Format(max)}",
                _ => IsWholeNumber ? "a whole number" : IsNumber ? "a number" : "any text",
            };
            return MultipleOf > 1 ? $"a multiple of {MultipleOf} {range}" : range;
        }
    }

    /// <summary>What a value must be, kind and range, for one that does not read ("an integer in [1, 65536]").</summary>
    public string Expected =>
        MultipleOf > 1 || !IsNumber ? (Type == typeof(string) && Choices is null ? "a string" : Allowed)
        : $"{(IsWholeNumber ? "an integer" : "a number")}{(Min is null && Max is null ? "" : " " + Allowed)}";

    public object? ValueIn(CrlConfig config) => property.GetValue(config);

    /// <summary>A copy of <paramref name="config"/> with this knob set.</summary>
    public CrlConfig With(CrlConfig config, object? value)
    {
        var copy = config with { };
        property.SetValue(copy, value);
        return copy;
    }

    public bool Allows(object? value)
    {
        if (value is null) return IsOptional;
        switch (declared.Choices)
        {
            case KnobChoices.Envs: return value is string id && EnvRegistry.TryGet(id, out _);
            case KnobChoices.Devices: return TorchDevice.IsValidName(value as string);
            case KnobChoices.ActionSelections: return ActionSelection.TryParse(value as string, out _);
        }
        if (!IsNumber) return true;
        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        if (Min is { } min && (declared.MinExclusive ? !(number > min) : !(number >= min))) return false;
        if (Max is { } max && (declared.MaxExclusive ? !(number < max) : !(number <= max))) return false;
        return MultipleOf <= 1 || Convert.ToInt64(value, CultureInfo.InvariantCulture) % MultipleOf == 0;
    }

    /// <summary>The validator's message for this knob's value in <paramref name="config"/>, or null when it is allowed.</summary>
    public string? Problem(CrlConfig config)
    {
        var value = ValueIn(config);
        if (Allows(value)) return null;
        var allowed = declared.Choices == KnobChoices.Envs ? $"one of {string.Join(", ", Choices!)}" : Allowed;
        return $"{Name} ({Flag}) must be {allowed}; got {Shown(value)}";
    }

    /// <summary>A command-line value: numbers as 100000000, 100_000_000 or 1e8; enums by name in any case.</summary>
    /// <exception cref="FormatException">The text is not a value of <see cref="Type"/>.</exception>
    public object? Parse(string text)
    {
        try
        {
            if (Type == typeof(string)) return text;
            if (Type == typeof(int)) return checked((int)ParseLong(text));
            if (Type == typeof(long)) return ParseLong(text);
            if (Type == typeof(double)) return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (Type == typeof(bool)) return text.ToLowerInvariant() switch { "1" or "true" or "yes" or "on" => true, "0" or "false" or "no" or "off" => false, _ => throw new FormatException() };
            if (Type.IsEnum && Enum.TryParse(Type, text, ignoreCase: true, out var member) && Enum.IsDefined(Type, member)) return member;
        }
        catch (Exception e) when (e is FormatException or OverflowException) { }
        throw new FormatException($"{Flag}: cannot read {Echo.Quoted(text)} as {Type.Name.ToLowerInvariant()}; it must be {Expected}");
    }

    /// <summary>An API value. Numbers may come as JSON numbers or numeric strings, as ASP.NET's web defaults read them.</summary>
    /// <exception cref="FormatException">The value is not of the knob's kind.</exception>
    public object? Read(JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Null && IsOptional) return null;
        var text = json.ValueKind == JsonValueKind.String ? json.GetString()! : json.GetRawText();
        var isNumber = json.ValueKind == JsonValueKind.Number;
        object? value = Type switch
        {
            _ when Type == typeof(int) && (isNumber || json.ValueKind == JsonValueKind.String) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
            _ when Type == typeof(long) && (isNumber || json.ValueKind == JsonValueKind.String) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
            _ when Type == typeof(double) && (isNumber || json.ValueKind == JsonValueKind.String) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ when Type == typeof(bool) && json.ValueKind is JsonValueKind.True or JsonValueKind.False => json.GetBoolean(),
            _ when Type == typeof(string) && json.ValueKind == JsonValueKind.String => text,
            _ when Type.IsEnum && json.ValueKind == JsonValueKind.String && Enum.TryParse(Type, text, ignoreCase: true, out var member) && Enum.IsDefined(Type, member) => member,
            _ => null,
        };
        return value ?? throw new FormatException($"{ApiName} must be {Expected}; got {Echo.Clipped(json.GetRawText())}");
    }

    /// <summary>A value as the command line and the README write it.</summary>
    public static string Format(object? value) => value switch
    {
        null => "none",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string Shown(object? value) => value is string or null ? Echo.Quoted(value as string ?? "") : Format(value);

    // Accepts 100000000, 100_000_000 and 1e8.
    private static long ParseLong(string text)
    {
        var clean = text.Replace("_", "");
        if (long.TryParse(clean, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return value;
        var d = double.Parse(clean, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (d != Math.Floor(d) || d > long.MaxValue || d < long.MinValue) throw new FormatException();
        return (long)d;
    }
}

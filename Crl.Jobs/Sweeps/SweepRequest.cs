using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crl.Jobs.Sweeps;

/// <summary>
/// A sweep as users and scripts submit it (<c>POST /api/sweeps</c>): the grid axes, and any other trainer knob of
/// <c>CrlConfig</c> in camelCase as a fixed setting for every run (<c>"totalEnvSteps": 2000000</c>).
/// </summary>
public sealed record SweepRequest
{
    public string? Name { get; init; }
    public List<string>? Envs { get; init; }

    /// <summary>Actor and critic depth together; or give <see cref="ActorDepths"/> and <see cref="CriticDepths"/> for their product.</summary>
    public List<int>? Depths { get; init; }
    public List<int>? ActorDepths { get; init; }
    public List<int>? CriticDepths { get; init; }

    /// <summary>Actor and critic width together.</summary>
    public List<int>? Widths { get; init; }
    public List<int>? BatchSizes { get; init; }
    public List<long>? Seeds { get; init; }

    /// <summary>Every other property: fixed trainer settings, checked against CrlConfig's knobs.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Settings { get; init; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crl.Jobs.Sweeps;

/// <summary>
/// A sweep as users and scripts submit it (<c>POST /api/sweeps</c>): the grid axes, and any other trainer knob of
/// <c>CrlConfig</c> in camelCase as a fixed setting for every run (<c>"totalEnvSteps": 2000000</c>).
/// </summary>
public sealed record SweepRequest
{
    /// <summary>A <see cref="PaperPresets"/> id to start from; every other field given overrides the preset's.</summary>
    public string? Preset { get; init; }

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

    /// <summary>
    /// Settings for one environment's runs, over <see cref="Settings"/> (the paper's per-task budgets and eval goal
    /// sets: <c>"perEnv": {"humanoid_u_maze": {"totalEnvSteps": 400000000, "evalEnv": "humanoid_u_maze_eval"}}</c>).
    /// An environment the sweep does not list is ignored, so a preset's tasks can be narrowed with <c>envs</c>.
    /// </summary>
    public Dictionary<string, Dictionary<string, JsonElement>>? PerEnv { get; init; }

    /// <summary>Every other property: fixed trainer settings, checked against CrlConfig's knobs.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Settings { get; init; }
}

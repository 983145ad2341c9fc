using System.Text.Json;
using System.Text.Json.Serialization;
using Crl.Core.Training;

namespace Crl.Jobs.Persistence;

/// <summary>
/// The one JSON shape of the configs the database keeps as text: a run's <see cref="CrlConfig"/>
/// (<c>Runs.ConfigJson</c>) and a sweep's request (<c>Sweeps.SpecJson</c>, which is also the API's body). camelCase,
/// enums by name, names read in any case: the shape rows have had since the first migration, so old rows still read.
/// </summary>
public static class StoredConfig
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write(CrlConfig config) => JsonSerializer.Serialize(config, Json);

    public static CrlConfig Read(string json) =>
        JsonSerializer.Deserialize<CrlConfig>(json, Json) ?? throw new InvalidDataException("a stored run config is null");

    public static string WriteSpec<TSpec>(TSpec spec) => JsonSerializer.Serialize(spec, Json);

    public static TSpec ReadSpec<TSpec>(string json) =>
        JsonSerializer.Deserialize<TSpec>(json, Json) ?? throw new InvalidDataException("a stored sweep spec is null");

    public static TSpec ReadSpec<TSpec>(JsonElement json) =>
        json.Deserialize<TSpec>(Json) ?? throw new InvalidDataException("a stored sweep spec is null");
}

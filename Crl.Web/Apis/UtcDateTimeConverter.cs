using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crl.Web.Apis;

/// <summary>
/// Every time the database holds is UTC, but SQLite hands it back without a kind; scripts must not read it as their
/// local time, so the API writes each one with its "Z".
/// </summary>
public sealed class UtcDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTime().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime());
}

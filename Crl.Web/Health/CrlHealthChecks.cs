using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Crl.Web.Health;

public static class CrlHealthChecks
{
    public const string Path = "/healthz";

    public static IServiceCollection AddCrlHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DataDirectoryHealthCheck>("data-directory")
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<HangfireHealthCheck>("hangfire")
            .AddCheck<TorchHealthCheck>("torch");
        return services;
    }

    /// <summary><c>/healthz</c>: 200 when every check passes, 503 otherwise; the body names each check and its state.</summary>
    public static IEndpointConventionBuilder MapCrlHealthChecks(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteReport });

    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}

using Crl.Web.Analysis;
using Crl.Web.Exports;
using Crl.Web.Queries;

namespace Crl.Web.Apis;

/// <summary><c>/api/scaling.csv</c>: the data of the Scaling page's chart, computed by the same query the chart uses.</summary>
public static class ScalingApi
{
    public static IEndpointRouteBuilder MapScalingApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/scaling.csv", async (ScalingQuery scaling, long? sweepId, string? env, ScalingAxis? axis, bool? reference, CancellationToken ct) =>
        {
            if (ApiResults.BadEnum("axis", axis) is { } bad) return bad;
            var x = axis ?? ScalingAxis.ActorDepth;
            var chart = await scaling.ChartAsync(env, sweepId, x, reference ?? false, cancellationToken: ct);
            using var csv = new StringWriter();
            await CsvExports.WriteScalingAsync(csv, x, chart.Lines);
            return ApiResults.Csv(csv, $"scaling-{x}.csv");
        }).WithTags("Scaling");
        return endpoints;
    }
}

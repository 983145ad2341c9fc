using Crl.Web.Analysis;
using Crl.Web.Exports;
using Crl.Web.Queries;

namespace Crl.Web.Apis;

/// <summary><c>/api/scaling.csv</c>: the data of the Scaling page's chart, computed by the same function the chart uses.</summary>
public static class ScalingApi
{
    public static IEndpointRouteBuilder MapScalingApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/scaling.csv", async (RunsQuery runs, long? sweepId, string? env, ScalingAxis? axis, bool? reference, CancellationToken ct) =>
        {
            if (ApiResults.BadEnum("axis", axis) is { } bad) return bad;
            var x = axis ?? ScalingAxis.ActorDepth;
            var finished = await runs.ListAsync(new RunFilter(Env: env, SweepId: sweepId, WithResult: true), ct);
            using var csv = new StringWriter();
            await CsvExports.WriteScalingAsync(csv, x, ScalingChartData.Lines(finished, x, env, reference ?? false));
            return ApiResults.Csv(csv, $"scaling-{x}.csv");
        }).WithTags("Scaling");
        return endpoints;
    }
}

using Crl.Web.Analysis;
using Crl.Web.Exports;
using Crl.Web.Queries;

namespace Crl.Web.Apis;

/// <summary>
/// <c>/api/scaling.csv</c>: the data of the Scaling page's chart; <c>/api/scaling/critical-depths.csv</c>: its critical
/// depths with the per-depth means and intervals they were judged on. Both come from the query the page uses.
/// </summary>
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

        endpoints.MapGet("/api/scaling/critical-depths.csv", async (ScalingQuery scaling, long? sweepId, string? env, ScalingAxis? axis, double? threshold, CancellationToken ct) =>
        {
            if (ApiResults.BadEnum("axis", axis) is { } bad) return bad;
            var x = axis ?? ScalingAxis.ActorDepth;
            if (!x.IsDepth()) return ApiResults.Invalid("axis", $"axis must be {ScalingAxis.ActorDepth} or {ScalingAxis.CriticDepth}; got {x}");
            if (threshold is { } t && !CriticalDepthDetection.AllowsThreshold(t))
                return ApiResults.Invalid("threshold", $"threshold must be a finite rise in time at goal ≥ 0; got {t}");
            var jump = threshold ?? scaling.DefaultCriticalDepthThreshold;
            var chart = await scaling.ChartAsync(env, sweepId, x, withPaper: false, jump, ct);
            using var csv = new StringWriter();
            await CsvExports.WriteCriticalDepthsAsync(csv, x, jump, chart.CriticalDepths);
            return ApiResults.Csv(csv, $"critical-depths-{x}.csv");
        }).WithTags("Scaling");
        return endpoints;
    }
}

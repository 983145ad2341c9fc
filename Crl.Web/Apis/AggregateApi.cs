using Crl.Web.Analysis;
using Crl.Web.Exports;
using Crl.Web.Queries;

namespace Crl.Web.Apis;

/// <summary>
/// <c>/api/aggregate</c> and <c>/api/aggregate.csv</c>: the Aggregate view's statistics (IQM, mean, median, optimality
/// gap, performance profiles, probability of improvement, with stratified bootstrap intervals), computed by the query
/// the page uses. Parameters are read here rather than bound, so a bad one is named with what it allows.
/// </summary>
public static class AggregateApi
{
    public static IEndpointRouteBuilder MapAggregateApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/aggregate", async (HttpRequest request, AggregateQuery aggregate, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            if (AggregateParameters.Parse(request.Query, errors) is not { } parameters) return (IResult)TypedResults.ValidationProblem(errors);
            var (report, problems) = await aggregate.ReportAsync(parameters, ct);
            return report is null ? (IResult)TypedResults.ValidationProblem(problems) : TypedResults.Ok(report);
        }).WithTags("Aggregate");

        endpoints.MapGet("/api/aggregate.csv", async (HttpRequest request, AggregateQuery aggregate, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var parameters = AggregateParameters.Parse(request.Query, errors, "chart");
            var chart = request.Query["chart"].ToString() is { Length: > 0 } c ? c : null;
            if (chart is not null && !AggregateCharts.All.Contains(chart))
                errors["chart"] = [$"chart must be one of {string.Join(", ", AggregateCharts.All)} (or absent for all three); got '{chart}'"];
            if (parameters is null || errors.Count > 0) return (IResult)TypedResults.ValidationProblem(errors);
            var (report, problems) = await aggregate.ReportAsync(parameters, ct);
            if (report is null) return (IResult)TypedResults.ValidationProblem(problems);
            using var csv = new StringWriter();
            await CsvExports.WriteAggregateAsync(csv, report, chart);
            return ApiResults.Csv(csv, $"aggregate-{chart ?? "all"}.csv");
        }).WithTags("Aggregate");
        return endpoints;
    }
}

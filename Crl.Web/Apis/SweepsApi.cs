using System.Text.Json;
using Crl.Jobs.Persistence;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Crl.Web.Services;
using Crl.Jobs.Persistence.Queries;

namespace Crl.Web.Apis;

/// <summary><c>/api/sweeps</c>: create a sweep from JSON, read it, cancel, retry or fill it, download its results.</summary>
public static class SweepsApi
{
    public static IEndpointRouteBuilder MapSweepsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/sweeps").WithTags("Sweeps");
        api.MapPost("/", CreateAsync);
        api.MapGet("/", async (ExperimentQueries queries, int? skip, int? take, CancellationToken ct) =>
            ApiResults.BadPage(skip ?? 0, take ?? 100, ExperimentQueries.MaxPageSize)
            ?? TypedResults.Ok(await queries.SweepsAsync(skip ?? 0, take ?? 100, ct)));
        api.MapGet("/{id:long}", async (long id, ExperimentQueries queries, CancellationToken ct) =>
            await queries.SweepAsync(id, ct) is { } sweep ? TypedResults.Ok(sweep) : ApiResults.NotFound("sweep", id));
        api.MapPost("/{id:long}/cancel", (long id, ExperimentQueries queries, RunQueue queue, CancellationToken ct) =>
            ForExistingAsync(id, queries, async () => new { cancelled = await queue.CancelSweepAsync(id, ct) }, ct));
        api.MapPost("/{id:long}/retry", (long id, ExperimentQueries queries, RunQueue queue, CancellationToken ct) =>
            ForExistingAsync(id, queries, async () => new { queued = await queue.RetrySweepAsync(id, ct) }, ct));
        api.MapPost("/{id:long}/fill", (long id, ExperimentQueries queries, RunQueue queue, CancellationToken ct) =>
            ForExistingAsync(id, queries, async () => new { queued = await queue.FillSweepAsync(id, ct) }, ct));
        api.MapGet("/{id:long}/results.csv", async (long id, ExperimentQueries queries, HttpContext http, CancellationToken ct) =>
        {
            if (await queries.SweepAsync(id, ct) is null) return ApiResults.NotFound("sweep", id);
            var runs = await queries.SweepRunsAsync(id, ct);
            using var csv = new StringWriter();
            await CsvExports.WriteSweepResultsAsync(csv, runs);
            return ApiResults.Csv(csv, $"sweep-{id}-results.csv");
        });
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, RunQueue queue, ExperimentQueries queries, CancellationToken ct)
    {
        SweepRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<SweepRequest>(StoredConfig.Json, ct);
        }
        catch (JsonException e)
        {
            return ApiResults.BadJson(e);
        }
        if (body is null) return ApiResults.BadJson(new JsonException("empty body"));

        try
        {
            var sweep = await queue.LaunchAsync(body, ct);
            var details = await queries.SweepAsync(sweep.Id, ct);
            return TypedResults.Created($"/api/sweeps/{sweep.Id}", details);
        }
        catch (SweepRejected rejected)
        {
            return TypedResults.ValidationProblem(rejected.Errors.ToDictionary(), title: "The sweep was not queued: fix these fields");
        }
    }

    private static async Task<IResult> ForExistingAsync<T>(long id, ExperimentQueries queries, Func<Task<T>> action, CancellationToken ct) =>
        await queries.SweepAsync(id, ct) is null ? ApiResults.NotFound("sweep", id) : TypedResults.Ok(await action());
}

using System.Text.Json;
using Crl.Jobs.Persistence;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Crl.Web.Auth;
using Crl.Web.Exports;
using Crl.Web.Queries;

namespace Crl.Web.Apis;

/// <summary>
/// <c>/api/sweeps</c>: create a sweep from JSON or a paper preset, or queue the quick run (members and admins), read it
/// (everyone), cancel, retry, fill or delete it (its owner or an admin), download its results.
/// </summary>
public static class SweepsApi
{
    public static IEndpointRouteBuilder MapSweepsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/sweeps").WithTags("Sweeps");
        api.MapPost("/", CreateAsync).RequiresLaunch();
        api.MapPost("/quick", async (HttpContext context, RunQueue queue, SweepsQuery sweeps, CancellationToken ct) =>
        {
            var sweep = await queue.LaunchAsync(QuickSweep.Learning(), context.User.UserId(), ct);
            return TypedResults.Created($"/api/sweeps/{sweep.Id}", await sweeps.SweepAsync(sweep.Id, ct));
        }).RequiresLaunch();
        api.MapGet("/", async (SweepsQuery sweeps, int? skip, int? take, CancellationToken ct) =>
            ApiResults.BadPage(skip ?? 0, take ?? 100) ?? TypedResults.Ok(await sweeps.PageAsync(skip ?? 0, take ?? 100, ct)));
        api.MapGet("/{id:long}", async (long id, SweepsQuery sweeps, CancellationToken ct) =>
            await sweeps.SweepAsync(id, ct) is { } sweep ? TypedResults.Ok(sweep) : ApiResults.NotFound("sweep", id));

        var sweep = api.MapGroup("/{id:long}").ForExisting<SweepsQuery>("sweep", (sweeps, id, ct) => sweeps.ExistsAsync(id, ct));
        sweep.MapPost("/cancel", async (long id, RunQueue queue, CancellationToken ct) =>
            TypedResults.Ok(new { cancelled = await queue.CancelSweepAsync(id, ct) })).ChangedByOwner("sweep", OwnerOfSweep);
        sweep.MapPost("/retry", (long id, RunQueue queue, CancellationToken ct) =>
            ApiResults.QueuedAsync(() => queue.RetrySweepAsync(id, ct))).ChangedByOwner("sweep", OwnerOfSweep);
        sweep.MapPost("/fill", (long id, RunQueue queue, CancellationToken ct) =>
            ApiResults.QueuedAsync(() => queue.FillSweepAsync(id, ct))).ChangedByOwner("sweep", OwnerOfSweep);
        sweep.MapDelete("", async (long id, RunQueue queue, CancellationToken ct) =>
        {
            try
            {
                return await queue.DeleteSweepAsync(id, ct) is { } runs ? TypedResults.Ok(new { deletedRuns = runs }) : ApiResults.NotFound("sweep", id);
            }
            catch (SweepStillRunning running)
            {
                return ApiResults.Conflict(running.Message);
            }
        }).ChangedByOwner("sweep", OwnerOfSweep);
        sweep.MapGet("/results.csv", async (long id, RunsQuery runs, CancellationToken ct) =>
        {
            using var csv = new StringWriter();
            await CsvExports.WriteSweepResultsAsync(csv, await runs.ListAsync(new RunFilter(SweepId: id), ct));
            return ApiResults.Csv(csv, $"sweep-{id}-results.csv");
        });
        return endpoints;
    }

    private static Task<Owner?> OwnerOfSweep(SweepsQuery sweeps, long id, CancellationToken ct) => sweeps.OwnerOfSweepAsync(id, ct);

    private static async Task<IResult> CreateAsync(HttpRequest request, RunQueue queue, SweepsQuery sweeps, CancellationToken ct)
    {
        if (ApiResults.NotJson(request) is { } notJson) return notJson;
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
            // Owned by the user behind the cookie or personal token; the automation token's sweeps have no owner.
            var sweep = await queue.LaunchAsync(body, request.HttpContext.User.UserId(), ct);
            var details = await sweeps.SweepAsync(sweep.Id, ct);
            return TypedResults.Created($"/api/sweeps/{sweep.Id}", details);
        }
        catch (SweepRejected rejected)
        {
            return ApiResults.Rejected(rejected);
        }
    }
}

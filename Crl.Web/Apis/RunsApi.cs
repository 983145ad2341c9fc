using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Web.Auth;
using Crl.Web.Exports;
using Crl.Web.Queries;

namespace Crl.Web.Apis;

/// <summary>
/// <c>/api/runs</c>: list and read runs, cancel or retry one (whoever owns its sweep, or an admin), its metrics as
/// JSON or CSV, its checkpoints.
/// </summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/runs").WithTags("Runs");
        api.MapGet("/", async (RunsQuery runs, long? sweepId, RunState? state, int? skip, int? take, CancellationToken ct) =>
        {
            if (ApiResults.BadPage(skip ?? 0, take ?? 100) is { } bad) return bad;
            var page = await runs.PageAsync(new RunFilter(State: state, SweepId: sweepId), RunOrder.Oldest, skip ?? 0, take ?? 100, RunDetails.Shape, ct);
            return TypedResults.Ok(new { total = page.Total, runs = page.Runs });
        });
        api.MapGet("/{id:long}", async (long id, RunsQuery runs, CancellationToken ct) =>
            await runs.RunAsync(id, ct) is { } run ? TypedResults.Ok(run) : ApiResults.NotFound("run", id));

        var run = api.MapGroup("/{id:long}").ForExisting<RunsQuery>("run", (runs, id, ct) => runs.ExistsAsync(id, ct));
        run.MapPost("/cancel", async (long id, RunQueue queue, CancellationToken ct) =>
            TypedResults.Ok(new { cancelled = await queue.CancelRunAsync(id, ct) })).ChangedByOwner("run", OwnerOfRun);
        run.MapPost("/retry", async (long id, RunQueue queue, CancellationToken ct) =>
            TypedResults.Ok(new { queued = await queue.RetryRunAsync(id, ct) })).ChangedByOwner("run", OwnerOfRun);
        run.MapGet("/metrics", async (long id, MetricsQuery metrics, CancellationToken ct) =>
            TypedResults.Ok(await metrics.SeriesAsync(id, ct)));
        run.MapGet("/metrics.csv", async (long id, MetricsQuery metrics, CancellationToken ct) =>
        {
            using var csv = new StringWriter();
            await CsvExports.WriteMetricsAsync(csv, await metrics.SeriesAsync(id, ct));
            return ApiResults.Csv(csv, $"run-{id}-metrics.csv");
        });
        run.MapGet("/checkpoints", async (long id, RunsQuery runs, CancellationToken ct) =>
            TypedResults.Ok(await runs.CheckpointsAsync(id, ct)));

        // The file comes from the path the database holds for this (run, checkpoint) pair, never from the request;
        // a pair that does not match is a missing checkpoint, whichever of the two is wrong.
        api.MapGet("/{id:long}/checkpoints/{checkpointId:long}", async (long id, long checkpointId, RunsQuery runs, RunFiles files, CancellationToken ct) =>
        {
            var checkpoint = await runs.CheckpointAsync(id, checkpointId, ct);
            if (checkpoint is null) return ApiResults.NotFound("checkpoint", checkpointId);
            var path = files.Resolve(checkpoint.RelativePath);
            return File.Exists(path)
                ? Results.File(path, "application/zip", $"run-{id}-epoch-{checkpoint.Epoch:D4}.zip")
                : TypedResults.Problem(statusCode: StatusCodes.Status410Gone, detail: $"checkpoint {checkpointId}'s file is no longer on disk");
        });
        return endpoints;
    }

    private static Task<Owner?> OwnerOfRun(SweepsQuery sweeps, long id, CancellationToken ct) => sweeps.OwnerOfRunAsync(id, ct);
}

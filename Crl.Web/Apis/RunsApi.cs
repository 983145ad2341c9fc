using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Web.Services;
using Crl.Jobs.Persistence.Queries;

namespace Crl.Web.Apis;

/// <summary><c>/api/runs</c>: list and read runs, cancel or retry one, its metrics as JSON or CSV, its checkpoints.</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/runs").WithTags("Runs");
        api.MapGet("/", async (ExperimentQueries queries, long? sweepId, RunState? state, int? skip, int? take, CancellationToken ct) =>
        {
            if (ApiResults.BadPage(skip ?? 0, take ?? 100, ExperimentQueries.MaxPageSize) is { } bad) return bad;
            var (runs, total) = await queries.RunsAsync(sweepId, state, skip ?? 0, take ?? 100, ct);
            return TypedResults.Ok(new { total, runs });
        });
        api.MapGet("/{id:long}", async (long id, ExperimentQueries queries, CancellationToken ct) =>
            await queries.RunAsync(id, ct) is { } run ? TypedResults.Ok(run) : ApiResults.NotFound("run", id));
        api.MapPost("/{id:long}/cancel", async (long id, ExperimentQueries queries, RunQueue queue, CancellationToken ct) =>
            await queries.RunAsync(id, ct) is null ? ApiResults.NotFound("run", id) : TypedResults.Ok(new { cancelled = await queue.CancelRunAsync(id, ct) }));
        api.MapPost("/{id:long}/retry", async (long id, ExperimentQueries queries, RunQueue queue, CancellationToken ct) =>
            await queries.RunAsync(id, ct) is null ? ApiResults.NotFound("run", id) : TypedResults.Ok(new { queued = await queue.RetryRunAsync(id, ct) }));

        api.MapGet("/{id:long}/metrics", async (long id, ExperimentQueries queries, CancellationToken ct) =>
            await queries.RunAsync(id, ct) is null ? ApiResults.NotFound("run", id) : TypedResults.Ok(await queries.MetricsAsync(id, ct)));
        api.MapGet("/{id:long}/metrics.csv", async (long id, ExperimentQueries queries, CancellationToken ct) =>
        {
            if (await queries.RunAsync(id, ct) is null) return ApiResults.NotFound("run", id);
            var series = await queries.MetricsAsync(id, ct);
            using var csv = new StringWriter();
            await CsvExports.WriteMetricsAsync(csv, series);
            return ApiResults.Csv(csv, $"run-{id}-metrics.csv");
        });

        api.MapGet("/{id:long}/checkpoints", async (long id, ExperimentQueries queries, CancellationToken ct) =>
            await queries.RunAsync(id, ct) is null ? ApiResults.NotFound("run", id) : TypedResults.Ok(await queries.CheckpointsAsync(id, ct)));
        // The file comes from the path the database holds for this (run, checkpoint) pair, never from the request.
        api.MapGet("/{id:long}/checkpoints/{checkpointId:long}", async (long id, long checkpointId, ExperimentQueries queries, RunFiles files, CancellationToken ct) =>
        {
            var checkpoint = await queries.CheckpointAsync(id, checkpointId, ct);
            if (checkpoint is null) return ApiResults.NotFound("checkpoint", checkpointId);
            var path = files.Resolve(checkpoint.RelativePath);
            return File.Exists(path)
                ? Results.File(path, "application/zip", $"run-{id}-epoch-{checkpoint.Epoch:D4}.zip")
                : TypedResults.Problem(statusCode: StatusCodes.Status410Gone, detail: $"checkpoint {checkpointId}'s file is no longer on disk");
        });
        return endpoints;
    }
}

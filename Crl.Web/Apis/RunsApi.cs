using System.Text.Json;
using Crl.Core.Training;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Web.Auth;
using Crl.Web.Exports;
using Crl.Web.Queries;

namespace Crl.Web.Apis;

/// <summary>
/// <c>/api/runs</c>: list and read runs, cancel or retry one (whoever owns its sweep, or an admin), its metrics as
/// JSON or CSV, its train.log, its checkpoints and their evaluation.
/// </summary>
public static class RunsApi
{
    /// <summary>The most lines <c>/log?tail=N</c> returns; the whole log comes without <c>tail</c>.</summary>
    public const int MaxTailLines = 100_000;

    /// <summary>
    /// The run's train.log as plain text: all of it (a download), or its last <paramref name="tail"/> complete lines.
    /// A run no worker has started yet has an empty log.
    /// </summary>
    private static IResult Log(long id, string? tail, RunFiles files)
    {
        var path = files.TrainLog(id);
        if (tail is null)
        {
            if (!File.Exists(path)) return TypedResults.Text("", "text/plain", System.Text.Encoding.UTF8);
            // Shared for writing: the worker training the run keeps the file open.
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return TypedResults.Stream(stream, "text/plain; charset=utf-8", $"run-{id}-train.log");
        }
        if (!int.TryParse(tail, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var lines) || lines is < 1 or > MaxTailLines)
            return ApiResults.Invalid("tail", $"tail must be a whole number of lines in [1, {MaxTailLines}]; got '{tail}'");
        var text = string.Concat(TrainLog.ReadTail(path, lines).Lines.Select(l => l + "\n"));
        return TypedResults.Text(text, "text/plain", System.Text.Encoding.UTF8);
    }

    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/runs").WithTags("Runs");
        api.MapGet("/", async (RunsQuery runs, long? sweepId, RunState? state, int? skip, int? take, CancellationToken ct) =>
        {
            if ((ApiResults.BadPage(skip ?? 0, take ?? 100) ?? ApiResults.BadEnum("state", state)) is { } bad) return bad;
            var page = await runs.PageAsync(new RunFilter(State: state, SweepId: sweepId), RunOrder.Oldest, skip ?? 0, take ?? 100, RunDetails.Shape, ct);
            return TypedResults.Ok(new { total = page.Total, runs = page.Runs });
        });
        api.MapGet("/{id:long}", async (long id, RunsQuery runs, CancellationToken ct) =>
            await runs.RunAsync(id, ct) is { } run ? TypedResults.Ok(run) : ApiResults.NotFound("run", id));

        var run = api.MapGroup("/{id:long}").ForExisting<RunsQuery>("run", (runs, id, ct) => runs.ExistsAsync(id, ct));
        run.MapPost("/cancel", async (long id, RunQueue queue, CancellationToken ct) =>
            TypedResults.Ok(new { cancelled = await queue.CancelRunAsync(id, ct) })).ChangedByOwner("run", OwnerOfRun);
        run.MapPost("/retry", (long id, RunQueue queue, CancellationToken ct) =>
            ApiResults.QueuedAsync(() => queue.RetryRunAsync(id, ct))).ChangedByOwner("run", OwnerOfRun);
        run.MapGet("/metrics", async (long id, MetricsQuery metrics, CancellationToken ct) =>
            TypedResults.Ok(await metrics.SeriesAsync(id, ct)));
        run.MapGet("/metrics.csv", async (long id, MetricsQuery metrics, CancellationToken ct) =>
        {
            using var csv = new StringWriter();
            await CsvExports.WriteMetricsAsync(csv, await metrics.SeriesAsync(id, ct));
            return ApiResults.Csv(csv, $"run-{id}-metrics.csv");
        });
        run.MapGet("/log", (long id, string? tail, RunFiles files) => Log(id, tail, files));
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
        // Evaluation takes the server's CPU for a while, so it is for those who may launch work.
        api.MapPost("/{id:long}/checkpoints/{checkpointId:long}/evaluate", EvaluateAsync).RequiresLaunch();
        return endpoints;
    }

    /// <summary>An optional body of <c>POST .../evaluate</c>; every field left out takes the run's own setting.</summary>
    public sealed record EvaluateRequest(string? Env = null, int? Episodes = null, string? ActionSelection = null, ulong Seed = 0);

    private static async Task<IResult> EvaluateAsync(long id, long checkpointId, HttpRequest request, CheckpointEvaluations evaluations, CancellationToken ct)
    {
        EvaluateRequest body;
        try
        {
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync(ct);
            body = string.IsNullOrWhiteSpace(text) ? new() : JsonSerializer.Deserialize<EvaluateRequest>(text, StoredConfig.Json) ?? new();
        }
        catch (JsonException e)
        {
            return ApiResults.BadJson(e);
        }
        // Evaluation runs on the server's CPU, so it stays on the server's CPU whatever the run trained on.
        var settings = new CheckpointEvaluationSettings(body.Env, body.Episodes, body.ActionSelection, body.Seed);
        return await evaluations.EvaluateAsync(id, checkpointId, settings, ct) switch
        {
            CheckpointEvaluationOutcome.Done done => TypedResults.Ok(EvaluationJson(done.Evaluation)),
            CheckpointEvaluationOutcome.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "The checkpoint was not evaluated: fix these fields"),
            CheckpointEvaluationOutcome.Gone => TypedResults.Problem(statusCode: StatusCodes.Status410Gone, detail: $"checkpoint {checkpointId}'s file is no longer on disk"),
            _ => ApiResults.NotFound("checkpoint", checkpointId),
        };
    }

    /// <summary>The evaluation as the API answers it (the same figures <c>Crl.Jobs evaluate --json</c> prints).</summary>
    public static object EvaluationJson(CheckpointEvaluationResult e) => new
    {
        env = e.Env,
        episodes = e.Episodes,
        episodeLength = e.EpisodeLength,
        actionSelection = e.ActionSelection,
        timeAtGoal = e.Result.TimeAtGoal,
        timeAtGoalFraction = e.TimeAtGoalFraction,
        successAny = e.Result.SuccessAny,
        episodeDist = e.Result.EpisodeDist,
        avgEpisodeLength = e.Result.AvgEpisodeLength,
    };
    private static Task<Owner?> OwnerOfRun(SweepsQuery sweeps, long id, CancellationToken ct) => sweeps.OwnerOfRunAsync(id, ct);
}

using Crl.Core.Training;
using Crl.Jobs.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crl.Jobs.Runs;

/// <summary>The answer to "evaluate this kept checkpoint": a result, or why there is none.</summary>
public abstract record CheckpointEvaluationOutcome
{
    public sealed record Done(CheckpointEvaluationResult Evaluation) : CheckpointEvaluationOutcome;

    /// <summary>The run has no such checkpoint.</summary>
    public sealed record Missing : CheckpointEvaluationOutcome;

    /// <summary>The database lists the checkpoint but its file is gone.</summary>
    public sealed record Gone : CheckpointEvaluationOutcome;

    /// <summary>Settings that do not suit the run, by field.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : CheckpointEvaluationOutcome;
}

/// <summary>
/// Evaluates a run's kept checkpoint in this process (the run page and <c>POST /api/runs/{id}/checkpoints/{cid}/evaluate</c>):
/// the file is the one the database names for the pair, unpacked to a temporary directory. One evaluation at a time,
/// so a few clicks cannot take every core from the server.
/// </summary>
public sealed class CheckpointEvaluations(IDbContextFactory<ExperimentDb> dbFactory, RunFiles files)
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public async Task<CheckpointEvaluationOutcome> EvaluateAsync(long runId, long checkpointId, CheckpointEvaluationSettings settings, CancellationToken cancellationToken = default)
    {
        string path, configJson;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var found = await db.Checkpoints.Where(c => c.Id == checkpointId && c.RunId == runId)
                .Join(db.Runs, c => c.RunId, r => r.Id, (c, r) => new { c.RelativePath, r.ConfigJson })
                .SingleOrDefaultAsync(cancellationToken);
            if (found is null) return new CheckpointEvaluationOutcome.Missing();
            (path, configJson) = (files.Resolve(found.RelativePath), found.ConfigJson);
        }
        var problems = CheckpointEvaluation.Problems(StoredConfig.Read(configJson), settings);
        if (problems.Count > 0)
            return new CheckpointEvaluationOutcome.Invalid(problems.GroupBy(p => p.Knob).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
        if (!File.Exists(path) && !Directory.Exists(path)) return new CheckpointEvaluationOutcome.Gone();

        await OneAtATime.WaitAsync(cancellationToken);
        try
        {
            // libtorch work blocks its thread for seconds; keep it off the request's and the circuit's.
            return new CheckpointEvaluationOutcome.Done(await Task.Run(() => CheckpointArchive.Open(path, d => CheckpointEvaluation.Run(d, settings)), cancellationToken));
        }
        finally
        {
            OneAtATime.Release();
        }
    }
}

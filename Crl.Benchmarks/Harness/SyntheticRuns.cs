using Crl.Core.Training;
using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Crl.Benchmarks.Harness;

/// <summary>What a synthetic run reports at each of its evaluations.</summary>
/// <param name="TimeAtGoal">steps at the goal.</param>
/// <param name="SuccessRate">fraction of episodes that reached the goal.</param>
/// <param name="WallTimeSeconds">the run's training clock at that evaluation.</param>
public readonly record struct SyntheticEvaluation(double TimeAtGoal, double SuccessRate, double WallTimeSeconds);

/// <summary>
/// Finished runs without training, written through the real persistence: the sweep is validated and queued by
/// <see cref="RunQueue"/>, each run is claimed with <see cref="RunLease"/>, its evaluations are recorded by
/// <see cref="RunRecorder"/> (which computes the final results as for a trained run) and it ends Succeeded. The
/// views and the API then read them as they read any run.
/// </summary>
public static class SyntheticRuns
{
    public const int Evaluations = RunRecorder.FinalWindow;
    private const string Writer = "synthetic";

    /// <param name="evaluate">the run and the evaluation's index (0 to <see cref="Evaluations"/> − 1).</param>
    public static async Task<Sweep> WriteAsync(IDbContextFactory<ExperimentDb> dbFactory, string dataDirectory, SweepRequest request,
        Func<Run, int, SyntheticEvaluation> evaluate, CancellationToken cancellationToken = default)
    {
        // Synthetic sweeps stand for many people's finished work (10,000 runs for the benchmarks), not one launch.
        var options = Options.Create(new CrlOptions
        {
            DataDirectory = dataDirectory,
            Limits = new LimitOptions { MaxRunsPerSweep = SweepRequestValidator.MaxRuns, MaxActiveRunsPerUser = int.MaxValue },
        });
        var sweep = await new RunQueue(dbFactory, TimeProvider.System, options).LaunchAsync(request, ownerId: null, cancellationToken);
        var lease = new RunLease(dbFactory, options, TimeProvider.System);
        var files = new RunFiles(options);
        using var metrics = new MetricStore(dbFactory);
        foreach (var run in sweep.Runs.OrderBy(r => r.Id))
        {
            if (!await lease.TryClaimAsync(run.Id, Writer, cancellationToken))
                throw new InvalidOperationException($"run {run.Id} is held elsewhere: synthetic runs need a dashboard without workers");
            var recorder = new RunRecorder(run.Id, Writer, Evaluations, 1, dbFactory, metrics, files, resources: null, TimeProvider.System);
            for (int e = 0; e < Evaluations; e++)
            {
                var value = evaluate(run, e);
                long steps = run.TotalEnvSteps * (e + 1) / Evaluations;
                recorder.OnMetrics(new MetricReport(e + 1, steps, e + 1, value.WallTimeSeconds, new Dictionary<string, double>
                {
                    [MetricNames.EpisodeSuccess] = value.TimeAtGoal,
                    [MetricNames.EpisodeSuccessAny] = value.SuccessRate,
                }));
            }
            await lease.FinishAsync(run.Id, Writer, RunState.Succeeded, null, cancellationToken);
        }
        return sweep;
    }
}

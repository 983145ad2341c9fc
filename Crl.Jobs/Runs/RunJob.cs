using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence.Model;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Runs;

/// <summary>
/// The Hangfire job behind one run: it takes the run's lease, trains it in a <see cref="TrainingProcess"/>, renews
/// the lease while it trains, passes on a user's cancel, and records how it ended. The process's output goes to the
/// run's <see cref="TrainLog"/>, between lines naming the attempt and the worker. A job that cannot take the lease
/// (the run is finished, cancelled, or trained by a live worker) does nothing.
/// </summary>
public sealed class RunJob(RunLease lease, RunFiles files, IConfiguration configuration, IOptions<CrlOptions> options, WorkerIdentity worker, ILogger<RunJob> logger)
{
    private enum StopReason { None, Cancel, Shutdown, LeaseLost }

    [AutomaticRetry(Attempts = 0)]
    [Queue(RunQueue.TrainingQueue)]
    public async Task ExecuteAsync(long runId, CancellationToken shutdown)
    {
        if (!await lease.TryClaimAsync(runId, worker.Name, shutdown))
        {
            logger.LogInformation("Run {RunId} is finished or held by a live worker; nothing to do", runId);
            return;
        }

        var attempt = await lease.AttemptsAsync(runId, shutdown);
        logger.LogInformation("Run {RunId} starts on {Worker} (attempt {Attempt})", runId, worker.Name, attempt);
        using var log = new TrainLog(files.TrainLog(runId), options.Value.Workers.TrainLogMaxBytes);
        log.Mark($"attempt {attempt} of run {runId} on worker {worker.Name}");
        using var child = TrainingProcess.Start(runId, worker.Name, configuration, options.Value, log.Append);
        var reason = await SuperviseAsync(runId, child, shutdown);

        switch (reason)
        {
            case StopReason.LeaseLost:
                log.Mark($"attempt {attempt} stopped: another worker took the run's lease");
                logger.LogWarning("Run {RunId}: another worker took the lease; this worker stopped training it", runId);
                return;
            case StopReason.Shutdown:
                log.Mark($"attempt {attempt} stopped: worker {worker.Name} is shutting down; the run goes back to the queue");
                await lease.ReleaseAsync(runId, worker.Name, CancellationToken.None);
                logger.LogInformation("Run {RunId} handed back to the queue: this worker is shutting down", runId);
                shutdown.ThrowIfCancellationRequested();
                return;
        }

        var (state, error) = (reason, (RunOutcome)child.ExitCode) switch
        {
            (StopReason.Cancel, _) => (RunState.Cancelled, (string?)null),
            (_, RunOutcome.Succeeded) => (RunState.Succeeded, null),
            _ => (RunState.Failed, FailureMessage(child)),
        };
        log.Mark($"attempt {attempt} ended {state} (exit code {child.ExitCode})");
        await lease.FinishAsync(runId, worker.Name, state, error, CancellationToken.None);
        logger.LogInformation("Run {RunId} ended {State}{Error}", runId, state, error is null ? "" : ": " + error);
    }

    private async Task<StopReason> SuperviseAsync(long runId, TrainingProcess child, CancellationToken shutdown)
    {
        var settings = options.Value.Workers;
        var reason = StopReason.None;
        DateTime? killAt = null;
        var exited = child.WaitForExitAsync();
        while (!exited.IsCompleted)
        {
            await Task.WhenAny(exited, Task.Delay(settings.HeartbeatInterval, reason == StopReason.None ? shutdown : CancellationToken.None));
            if (exited.IsCompleted) break;

            if (reason == StopReason.None && shutdown.IsCancellationRequested) reason = StopReason.Shutdown;

            // Beat while stopping too, so a slow stop is not mistaken for a dead worker.
            LeaseStatus? status = null;
            try
            {
                status = await lease.HeartbeatAsync(runId, worker.Name, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A busy or briefly unreachable database: the lease survives until LeaseTimeout, so try again.
                logger.LogWarning(e, "Run {RunId}: heartbeat failed", runId);
            }
            if (status is { Held: false })
            {
                child.Kill();
                return StopReason.LeaseLost;
            }
            if (reason == StopReason.None && status is { CancelRequested: true }) reason = StopReason.Cancel;

            if (reason != StopReason.None && killAt is null)
            {
                child.RequestStop();
                killAt = DateTime.UtcNow + settings.StopGracePeriod;
            }
            else if (killAt is { } deadline && DateTime.UtcNow > deadline)
            {
                logger.LogWarning("Run {RunId}: the trainer did not stop within {Grace}; killing it", runId, settings.StopGracePeriod);
                child.Kill();
            }
        }
        await exited;
        return reason;
    }

    private static string FailureMessage(TrainingProcess child)
    {
        var tail = child.ErrorTail();
        var marked = tail.Split(Environment.NewLine).LastOrDefault(l => l.StartsWith(ErrorPrefix, StringComparison.Ordinal));
        return marked is not null
            ? marked[ErrorPrefix.Length..]
            : $"the training process exited with code {child.ExitCode}" + (tail.Length > 0 ? ": " + tail : "");
    }

    /// <summary>The training process writes its failure on one standard-error line starting with this.</summary>
    public const string ErrorPrefix = "run failed: ";
}

namespace Crl.Jobs.Persistence.Model;

/// <summary>A sweep's state follows from its runs' states.</summary>
public static class SweepState
{
    public static RunState Of(IReadOnlyCollection<RunState> runs) =>
        runs.Contains(RunState.Running) ? RunState.Running
        : runs.Contains(RunState.Queued) ? RunState.Queued
        : runs.Contains(RunState.Failed) ? RunState.Failed
        : runs.Count > 0 && runs.All(s => s == RunState.Succeeded) ? RunState.Succeeded
        : RunState.Cancelled;
}

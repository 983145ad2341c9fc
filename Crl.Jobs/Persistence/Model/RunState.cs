namespace Crl.Jobs.Persistence.Model;

/// <summary>Queued → Running → Succeeded | Failed | Cancelled.</summary>
public enum RunState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public static class RunStateExtensions
{
    public static bool IsFinished(this RunState state) => state is RunState.Succeeded or RunState.Failed or RunState.Cancelled;
}

using Crl.Jobs.Persistence.Model;

namespace Crl.Web.Services;

/// <summary>What the dashboard shows of a run in lists.</summary>
public sealed record RunSummary(
    long Id,
    long? SweepId,
    string Kind,
    RunState State,
    double Progress,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    DateTime UpdatedAt,
    string? WorkerName,
    string? Error)
{
    public static IQueryable<RunSummary> From(IQueryable<Run> runs) => runs.Select(r => new RunSummary(
        r.Id, r.SweepId, r.Kind, r.State, r.Progress, r.CreatedAt, r.StartedAt, r.FinishedAt, r.UpdatedAt, r.WorkerName, r.Error));
}

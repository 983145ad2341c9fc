using System.Linq.Expressions;
using Crl.Jobs.Persistence.Model;

namespace Crl.Web.Queries;

/// <summary>What the dashboard shows of a run in lists.</summary>
public sealed record RunSummary(
    long Id,
    long? SweepId,
    string Env,
    int ActorDepth,
    int CriticDepth,
    int ActorWidth,
    int BatchSize,
    long Seed,
    RunState State,
    double Progress,
    long EnvStepsDone,
    double? LatestTimeAtGoal,
    double? FinalTimeAtGoal,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    DateTime UpdatedAt,
    string? Worker,
    string? Error)
{
    /// <summary>The row's columns the dashboard lists, selected in the database.</summary>
    public static readonly Expression<Func<Run, RunSummary>> Shape = r => new RunSummary(
        r.Id, r.SweepId, r.Env, r.ActorDepth, r.CriticDepth, r.ActorWidth, r.BatchSize, r.Seed, r.State, r.Progress, r.EnvStepsDone,
        r.LatestTimeAtGoal, r.FinalTimeAtGoal, r.CreatedAt, r.StartedAt, r.FinishedAt, r.UpdatedAt, r.LeaseOwner, r.Error);
}

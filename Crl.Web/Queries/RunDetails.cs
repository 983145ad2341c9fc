using System.Linq.Expressions;
using System.Text.Json;
using Crl.Jobs.Persistence.Model;

namespace Crl.Web.Queries;

public sealed record ParameterCounts(long Actor, long SaEncoder, long GEncoder, long Total);

/// <summary>A run as the API and the run page show it: grid axes, progress, results and the full config.</summary>
public sealed record RunDetails(
    long Id, long? SweepId, RunState State, double Progress, int EpochsDone, long EnvStepsDone, long TotalEnvSteps,
    string Env, int ActorDepth, int CriticDepth, int ActorWidth, int CriticWidth, int BatchSize, long Seed,
    ParameterCounts Parameters,
    double? LatestTimeAtGoal, double? FinalTimeAtGoal, double? LatestSuccessRate, double? FinalSuccessRate,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, string? Worker, int Attempts, bool CancelRequested,
    string? Error, string? CodeVersion, JsonElement Config)
{
    /// <summary>What <see cref="RunsQuery"/> selects; the config is parsed after the row is read.</summary>
    public static readonly Expression<Func<Run, RunDetails>> Shape = r => Of(r);

    public static RunDetails Of(Run r) => new(
        r.Id, r.SweepId, r.State, r.Progress, r.EpochsDone, r.EnvStepsDone, r.TotalEnvSteps,
        r.Env, r.ActorDepth, r.CriticDepth, r.ActorWidth, r.CriticWidth, r.BatchSize, r.Seed,
        new ParameterCounts(r.ActorParameters, r.SaEncoderParameters, r.GEncoderParameters, r.TotalParameters),
        r.LatestTimeAtGoal, r.FinalTimeAtGoal, r.LatestSuccessRate, r.FinalSuccessRate,
        r.CreatedAt, r.StartedAt, r.FinishedAt, r.LeaseOwner, r.Attempts, r.CancelRequested,
        r.Error, r.CodeVersion, JsonDocument.Parse(r.ConfigJson).RootElement.Clone());
}

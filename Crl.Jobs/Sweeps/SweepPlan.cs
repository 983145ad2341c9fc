using Crl.Core.Networks;
using Crl.Core.Training;

namespace Crl.Jobs.Sweeps;

/// <summary>One cell of a sweep's grid: the full trainer config and what it costs in parameters.</summary>
public sealed record PlannedRun(CrlConfig Config, NetworkSizes Sizes);

/// <summary>A validated sweep, expanded into runs, before anything is stored or queued.</summary>
/// <param name="Request">The request as planned, its preset resolved: what the sweep stores, clones and fills from.</param>
public sealed record SweepPlan(string Name, IReadOnlyList<PlannedRun> Runs, SweepRequest Request)
{
    public long TotalEnvSteps => Runs.Sum(r => r.Config.TotalEnvSteps);
}

/// <summary>Why a sweep was rejected: every problem, each under the field it concerns (camelCase, as in the request).</summary>
public class SweepRejected(IReadOnlyDictionary<string, string[]> errors)
    : Exception("invalid sweep: " + string.Join("; ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

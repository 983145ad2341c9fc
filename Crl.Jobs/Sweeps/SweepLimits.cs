using System.Globalization;
using Crl.Core.Training;
using Crl.Jobs.Configuration;

namespace Crl.Jobs.Sweeps;

/// <summary>One limit of <c>Crl:Limits</c> a sweep is over: the setting, the value it allows and the sweep's value.</summary>
public sealed record LimitExceeded(string Limit, double Allowed, double Requested, string Message);

/// <summary>
/// Checks a planned sweep against <c>Crl:Limits</c> before anything is stored. The API, the launch form's preview and
/// the launch itself use this one check, so the form shows the message the API would answer.
/// </summary>
public static class SweepLimits
{
    public const string Section = "Crl:Limits";

    /// <param name="activeRunsOfOwner">The launching user's queued and running runs; null when nobody launches (tests, benchmarks).</param>
    public static IReadOnlyList<LimitExceeded> Exceeded(SweepPlan plan, LimitOptions limits, int? activeRunsOfOwner)
    {
        var exceeded = new List<LimitExceeded>();
        void Over(string limit, double allowed, double requested, string what) =>
            exceeded.Add(new LimitExceeded($"{Section}:{limit}", allowed, requested, $"{what}; {Section}:{limit} allows {Number(allowed)}"));

        var runs = plan.Runs.Count;
        if (runs > limits.MaxRunsPerSweep)
            Over(nameof(limits.MaxRunsPerSweep), limits.MaxRunsPerSweep, runs, $"this sweep has {runs:N0} runs");
        if (activeRunsOfOwner is { } active && active + runs > limits.MaxActiveRunsPerUser)
            Over(nameof(limits.MaxActiveRunsPerUser), limits.MaxActiveRunsPerUser, active + runs,
                $"you have {active:N0} runs queued or running and this sweep adds {runs:N0}");

        var (network, parameters, inRun) = plan.Runs
            .SelectMany(r => new[] { ("actor", r.Sizes.Actor, r), ("φ(s,a)", r.Sizes.SaEncoder, r), ("ψ(g)", r.Sizes.GEncoder, r) })
            .MaxBy(n => n.Item2);
        if (parameters > limits.MaxParametersPerNetwork)
            Over(nameof(limits.MaxParametersPerNetwork), limits.MaxParametersPerNetwork, parameters,
                $"the largest network, {network} of {Describe(inRun.Config)}, has {parameters:N0} parameters");

        var steps = plan.Runs.MaxBy(r => r.Config.TotalEnvSteps)!;
        if (steps.Config.TotalEnvSteps > limits.MaxEnvStepsPerRun)
            Over(nameof(limits.MaxEnvStepsPerRun), limits.MaxEnvStepsPerRun, steps.Config.TotalEnvSteps,
                $"a run has {steps.Config.TotalEnvSteps:N0} env steps");

        var flops = plan.Runs.Select(r => (Run: r, Flops: TrainingCost.Of(r.Config).TotalFlops)).ToList();
        var costliest = flops.MaxBy(f => f.Flops);
        if (costliest.Flops > limits.MaxFlopsPerRun)
            Over(nameof(limits.MaxFlopsPerRun), limits.MaxFlopsPerRun, costliest.Flops,
                $"the costliest run, {Describe(costliest.Run.Config)}, needs {Number(costliest.Flops)} FLOPs");
        var total = flops.Sum(f => f.Flops);
        if (total > limits.MaxFlopsPerSweep)
            Over(nameof(limits.MaxFlopsPerSweep), limits.MaxFlopsPerSweep, total, $"the sweep needs {Number(total)} FLOPs in all");
        return exceeded;
    }

    /// <summary>Throws <see cref="SweepOverLimits"/> when the sweep is over any limit.</summary>
    public static void Check(SweepPlan plan, LimitOptions limits, int? activeRunsOfOwner)
    {
        if (Exceeded(plan, limits, activeRunsOfOwner) is { Count: > 0 } exceeded) throw new SweepOverLimits(exceeded);
    }

    private static string Describe(CrlConfig c) =>
        $"{c.Env} at actor × critic depth {c.ActorDepth} × {c.CriticDepth}, width {c.ActorWidth}, batch {c.BatchSize}";

    /// <summary>Counts as 1,000,000,000 and FLOPs as 9.75e20, the way the configuration writes them.</summary>
    private static string Number(double value) =>
        value < 1e15 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.##e0", CultureInfo.InvariantCulture);
}

/// <summary>A sweep refused because it is over limits of <c>Crl:Limits</c>; each message is filed under its setting.</summary>
public sealed class SweepOverLimits(IReadOnlyList<LimitExceeded> exceeded)
    : SweepRejected(exceeded.ToDictionary(e => e.Limit, e => new[] { e.Message }))
{
    public IReadOnlyList<LimitExceeded> Exceeded { get; } = exceeded;
}

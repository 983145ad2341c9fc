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
        var runs = plan.Runs.Count;
        if (runs > limits.MaxRunsPerSweep)
            Over(exceeded, nameof(limits.MaxRunsPerSweep), limits.MaxRunsPerSweep, runs, $"this sweep has {runs:N0} runs");
        ActiveRuns(exceeded, limits, activeRunsOfOwner, runs, "this sweep adds");
        var total = PerRun(exceeded, plan.Runs, limits);
        if (total > limits.MaxFlopsPerSweep)
            Over(exceeded, nameof(limits.MaxFlopsPerSweep), limits.MaxFlopsPerSweep, total, $"the sweep needs {Number(total)} FLOPs in all");
        return exceeded;
    }

    /// <summary>
    /// Retry and fill put runs back in the queue: they count against the sweep owner's queued-or-running runs, and
    /// each must still be within the per-run limits, which an administrator may have lowered since the launch.
    /// </summary>
    /// <param name="activeRunsOfOwner">The sweep owner's queued and running runs before these are queued.</param>
    public static IReadOnlyList<LimitExceeded> ExceededByRequeue(IReadOnlyList<PlannedRun> queued, LimitOptions limits, int activeRunsOfOwner)
    {
        var exceeded = new List<LimitExceeded>();
        if (queued.Count == 0) return exceeded;
        ActiveRuns(exceeded, limits, activeRunsOfOwner, queued.Count, "this queues");
        PerRun(exceeded, queued, limits);
        return exceeded;
    }

    private static void Over(List<LimitExceeded> exceeded, string limit, double allowed, double requested, string what) =>
        exceeded.Add(new LimitExceeded($"{Section}:{limit}", allowed, requested, $"{what}; {Section}:{limit} allows {Number(allowed)}"));

    private static void ActiveRuns(List<LimitExceeded> exceeded, LimitOptions limits, int? activeRunsOfOwner, int added, string adds)
    {
        if (activeRunsOfOwner is { } active && active + added > limits.MaxActiveRunsPerUser)
            Over(exceeded, nameof(limits.MaxActiveRunsPerUser), limits.MaxActiveRunsPerUser, active + added,
                $"you have {active:N0} runs queued or running and {adds} {added:N0}");
    }

    /// <summary>Checks each run's network sizes, env steps and FLOPs; returns the runs' FLOPs in all.</summary>
    private static double PerRun(List<LimitExceeded> exceeded, IReadOnlyList<PlannedRun> runs, LimitOptions limits)
    {
        var (network, parameters, inRun) = runs
            .SelectMany(r => new[] { ("actor", r.Sizes.Actor, r), ("φ(s,a)", r.Sizes.SaEncoder, r), ("ψ(g)", r.Sizes.GEncoder, r) })
            .MaxBy(n => n.Item2);
        if (parameters > limits.MaxParametersPerNetwork)
            Over(exceeded, nameof(limits.MaxParametersPerNetwork), limits.MaxParametersPerNetwork, parameters,
                $"the largest network, {network} of {Describe(inRun.Config)}, has {parameters:N0} parameters");

        var steps = runs.MaxBy(r => r.Config.TotalEnvSteps)!;
        if (steps.Config.TotalEnvSteps > limits.MaxEnvStepsPerRun)
            Over(exceeded, nameof(limits.MaxEnvStepsPerRun), limits.MaxEnvStepsPerRun, steps.Config.TotalEnvSteps,
                $"a run has {steps.Config.TotalEnvSteps:N0} env steps");

        var flops = runs.Select(r => (Run: r, Flops: TrainingCost.Of(r.Config).TotalFlops)).ToList();
        var costliest = flops.MaxBy(f => f.Flops);
        if (costliest.Flops > limits.MaxFlopsPerRun)
            Over(exceeded, nameof(limits.MaxFlopsPerRun), limits.MaxFlopsPerRun, costliest.Flops,
                $"the costliest run, {Describe(costliest.Run.Config)}, needs {Number(costliest.Flops)} FLOPs");
        return flops.Sum(f => f.Flops);
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

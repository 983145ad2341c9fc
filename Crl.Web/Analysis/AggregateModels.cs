namespace Crl.Web.Analysis;

/// <summary>
/// One run's result as the aggregate statistics see it: the task it trained on (the env id), the value of the
/// grouping field as text (depth "16", a switch "true"), its seed, and its score (the final time at goal or the
/// success rate; higher is better).
/// </summary>
public sealed record RunScore(string Task, string Group, long Seed, double Score);

/// <summary>A point estimate and its bootstrap confidence interval.</summary>
public readonly record struct Estimate(double Value, double Lower, double Upper)
{
    /// <summary>Closed intervals: two intervals that only touch still overlap, so a "clear" difference must leave a gap.</summary>
    public bool Overlaps(Estimate other) => Lower <= other.Upper && other.Lower <= Upper;
}

/// <summary>
/// How the stratified bootstrap runs. The seed makes every interval reproducible: the same runs, resamples and
/// seed give the same figures on any machine, whatever the thread count or the order the runs arrive in.
/// </summary>
public sealed record BootstrapSettings(int Resamples = 2000, ulong RandomSeed = 0, double Confidence = 0.95)
{
    public static BootstrapSettings Default { get; } = new();

    internal void Validate()
    {
        if (Resamples < 1) throw new ArgumentOutOfRangeException(nameof(Resamples), Resamples, "at least one bootstrap resample");
        if (!(Confidence > 0 && Confidence < 1)) throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "confidence lies strictly between 0 and 1");
    }
}

/// <summary>
/// What to compute besides mean, median, IQM and optimality gap.
/// </summary>
/// <param name="OptimalityThreshold">γ of the optimality gap: 1 for normalised scores, the target time at goal otherwise.</param>
/// <param name="ProfileThresholds">the τ grid of the performance profiles; none = no profiles.</param>
/// <param name="Baseline">the group every other group's probability of improvement is measured against; none = skip.</param>
public sealed record AggregateOptions(
    double OptimalityThreshold = 1.0,
    IReadOnlyList<double>? ProfileThresholds = null,
    string? Baseline = null,
    BootstrapSettings? Bootstrap = null);

/// <summary>
/// One group's aggregate figures, each with its stratified-bootstrap interval.
/// </summary>
/// <param name="Runs">runs pooled over the group's tasks.</param>
/// <param name="Tasks">tasks the group has at least one run on.</param>
/// <param name="Mean">mean over tasks of each task's mean score (rliable's aggregate mean).</param>
/// <param name="Median">median over tasks of each task's mean score (rliable's aggregate median); with one task it equals the mean.</param>
/// <param name="Iqm">interquartile mean of all runs pooled over tasks (see <see cref="AggregateStatistics.Iqm"/> for the cut).</param>
/// <param name="OptimalityGap">mean over all runs of max(0, γ − score).</param>
/// <param name="Profile">fraction of runs scoring above each τ of <see cref="AggregateResult.ProfileThresholds"/>, in that order.</param>
public sealed record GroupAggregate(
    string Group, int Runs, int Tasks,
    Estimate Mean, Estimate Median, Estimate Iqm, Estimate OptimalityGap,
    IReadOnlyList<Estimate> Profile);

/// <summary>
/// P(Group &gt; Baseline) averaged over the tasks both groups ran. <see cref="Probability"/> is null when they share
/// no task: there is nothing to compare, and a null survives JSON where a NaN would not.
/// </summary>
public sealed record ImprovementProbability(string Group, string Baseline, int Tasks, Estimate? Probability);

/// <summary>Groups in the grouping field's order: numbers numerically (4 before 16), then text ordinally.</summary>
public sealed record AggregateResult(
    IReadOnlyList<double> ProfileThresholds,
    IReadOnlyList<GroupAggregate> Groups,
    IReadOnlyList<ImprovementProbability> Improvements);

using System.Globalization;

namespace Crl.Jobs.Runs;

/// <summary>
/// How long a run has trained and, from its measured rate (progress made per second so far), how long it has left.
/// <see cref="Left"/> is null until there is progress to measure, and zero once the run is done.
/// </summary>
public readonly record struct RunTiming(TimeSpan Elapsed, TimeSpan? Left)
{
    /// <summary>A run measured from its start: <paramref name="progress"/> (a fraction of the whole run) made in <paramref name="elapsed"/>.</summary>
    public static RunTiming Of(TimeSpan elapsed, double progress) => Of(elapsed, progress, elapsed, progress);

    /// <summary>
    /// A run whose rate was measured over part of its time: <paramref name="progressMade"/> in <paramref name="measuredFor"/>
    /// (a resumed run's own process, after the replay buffer's prefill).
    /// </summary>
    public static RunTiming Of(TimeSpan elapsed, double progress, TimeSpan measuredFor, double progressMade)
    {
        if (progress >= 1) return new RunTiming(elapsed, TimeSpan.Zero);
        if (progressMade <= 0 || measuredFor <= TimeSpan.Zero) return new RunTiming(elapsed, null);
        return new RunTiming(elapsed, TimeSpan.FromSeconds(measuredFor.TotalSeconds * (1 - progress) / progressMade));
    }

    /// <summary>
    /// A run as its row has it: elapsed from its first start to its end (or <paramref name="now"/>), time left only
    /// while it runs. A resumed run's elapsed time includes the time it waited for a new worker.
    /// </summary>
    public static RunTiming? Of(DateTime? startedAt, DateTime? finishedAt, bool running, double progress, DateTime now)
    {
        if (startedAt is not { } start) return null;
        var elapsed = (finishedAt ?? now) - start;
        if (elapsed < TimeSpan.Zero) elapsed = TimeSpan.Zero;
        return running ? Of(elapsed, progress) : new RunTiming(elapsed, null);
    }

    /// <summary>"45s", "3m 12s", "2h 05m", "3d 04h": two units at most, as a person reads an estimate.</summary>
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        var c = CultureInfo.InvariantCulture;
        return span.TotalDays >= 1 ? string.Format(c, "{0}d {1:00}h", (int)span.TotalDays, span.Hours)
            : span.TotalHours >= 1 ? string.Format(c, "{0}h {1:00}m", (int)span.TotalHours, span.Minutes)
            : span.TotalMinutes >= 1 ? string.Format(c, "{0}m {1:00}s", (int)span.TotalMinutes, span.Seconds)
            : string.Format(c, "{0}s", (int)span.TotalSeconds);
    }

    /// <summary>"elapsed 3m 12s · about 5m 40s left"; just the elapsed time when nothing is left or nothing is measured yet.</summary>
    public override string ToString() =>
        $"elapsed {Format(Elapsed)}" + (Left switch
        {
            null => "",
            { } left when left == TimeSpan.Zero => "",
            { } left => $" · about {Format(left)} left",
        });
}

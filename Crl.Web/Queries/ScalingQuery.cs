using Crl.Core.Environments;
using Crl.Core.Training;
using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Web.Analysis;
using Microsoft.Extensions.Options;

namespace Crl.Web.Queries;

/// <summary>What the Scaling page draws, and <c>/api/scaling.csv</c> writes: the lines, and on depth axes each line's critical depth.</summary>
public sealed record ScalingChart(ScalingAxis Axis, IReadOnlyList<Run> Runs, IReadOnlyList<ScalingLine> Lines, IReadOnlyList<CriticalDepth> CriticalDepths);

/// <summary>
/// The same chart while its critical depths are still being computed: the lines are ready, the depths' bootstrap
/// (the costliest part) finishes in the background, so the page can draw the lines before the depths are known.
/// </summary>
public sealed record ScalingLines(ScalingAxis Axis, IReadOnlyList<Run> Runs, IReadOnlyList<ScalingLine> Lines, Task<IReadOnlyList<CriticalDepth>> CriticalDepths);

/// <summary>The Scaling page's data for the page and the API alike: finished runs, their costs on compute axes, critical depths.</summary>
public sealed class ScalingQuery(RunsQuery runs, IOptions<CrlOptions> options, TimeProvider clock)
{
    public double DefaultCriticalDepthThreshold => options.Value.Analysis.CriticalDepthThreshold;

    public BootstrapSettings Bootstrap => new(options.Value.Analysis.BootstrapResamples, options.Value.Analysis.BootstrapSeed);

    /// <summary>How long a computed chart is kept for a caller asking the same again.</summary>
    public static readonly TimeSpan Reuse = TimeSpan.FromSeconds(30);

    private const int KeptCharts = 4;

    private sealed record Computed(ScalingLines Lines, Task<ScalingChart> Chart, (int Count, DateTime? Newest) Version, DateTimeOffset At);

    private readonly Lock gate = new();
    private readonly Dictionary<(string Env, long? SweepId, ScalingAxis Axis, bool WithPaper, double Threshold), Computed> kept = [];

    /// <summary>The chart for these settings, critical depths included; see <see cref="LinesAsync"/> for its reuse.</summary>
    public async Task<ScalingChart> ChartAsync(string? env, long? sweepId, ScalingAxis axis, bool withPaper, double? threshold = null, CancellationToken cancellationToken = default) =>
        await (await KeptOrComputedAsync(env, sweepId, axis, withPaper, threshold, cancellationToken)).Chart;

    /// <summary>
    /// The chart's lines now and its critical depths when their bootstrap is done. Opening the Scaling page asks
    /// twice, prerendered and then interactive a second or two later (the prerendered chart is too large to carry
    /// into the interactive page), and with 10,000 runs each computation takes a few hundred milliseconds. A chart
    /// computed in the last <see cref="Reuse"/> for the same settings is returned again when the runs it was computed
    /// from are unchanged (same count, same newest change), so it is never staler than a fresh computation would be;
    /// any change to those runs computes it afresh. The critical depths are computed off the caller's request, so
    /// the prerendered page goes out without waiting for them and the interactive page finds them done.
    /// </summary>
    public async Task<ScalingLines> LinesAsync(string? env, long? sweepId, ScalingAxis axis, bool withPaper, double? threshold = null, CancellationToken cancellationToken = default) =>
        (await KeptOrComputedAsync(env, sweepId, axis, withPaper, threshold, cancellationToken)).Lines;

    private async Task<Computed> KeptOrComputedAsync(string? env, long? sweepId, ScalingAxis axis, bool withPaper, double? threshold, CancellationToken cancellationToken)
    {
        var filter = new RunFilter(Env: env, SweepId: sweepId, WithResult: true);
        var key = (Env: env ?? "", SweepId: sweepId, Axis: axis, WithPaper: withPaper, Threshold: threshold ?? DefaultCriticalDepthThreshold);
        var version = await runs.VersionAsync(filter, cancellationToken);
        var now = clock.GetUtcNow();
        lock (gate)
        {
            foreach (var old in kept.Where(k => now - k.Value.At > Reuse).Select(k => k.Key).ToList()) kept.Remove(old);
            if (kept.TryGetValue(key, out var computed) && computed.Version == version) return computed;
        }
        var lines = await ComputeAsync(filter, axis, withPaper, key.Threshold, cancellationToken);
        var fresh = new Computed(lines, WithDepthsAsync(lines), version, now);
        lock (gate)
        {
            if (kept.Count >= KeptCharts) kept.Remove(kept.MinBy(k => k.Value.At).Key);
            kept[key] = fresh;
        }
        return fresh;
    }

    private static async Task<ScalingChart> WithDepthsAsync(ScalingLines lines) =>
        new(lines.Axis, lines.Runs, lines.Lines, await lines.CriticalDepths);

    private async Task<ScalingLines> ComputeAsync(RunFilter filter, ScalingAxis axis, bool withPaper, double threshold, CancellationToken cancellationToken)
    {
        var finished = await runs.ListAsync(filter, cancellationToken);
        var costs = axis.IsCompute() ? await CostsAsync(finished, cancellationToken) : null;
        var lines = ScalingChartData.Lines(finished, axis, filter.Env, withPaper, costs);
        // Not tied to the caller's cancellation: a later caller with the same settings reuses it.
        var depths = axis.IsDepth()
            ? Task.Run(() => ScalingAnalysis.CriticalDepths(finished, axis, threshold, Bootstrap), CancellationToken.None)
            : Task.FromResult<IReadOnlyList<CriticalDepth>>([]);
        return new ScalingLines(axis, finished, lines, depths);
    }

    private async Task<Dictionary<long, RunCost>> CostsAsync(IReadOnlyList<Run> finished, CancellationToken cancellationToken)
    {
        var seconds = await runs.TrainingSecondsAsync([.. finished.Select(r => r.Id)], cancellationToken);
        var costs = new Dictionary<long, RunCost>();
        foreach (var run in finished)
        {
            // A run of an environment this build no longer has cannot be costed, so it has no place on a compute axis.
            var config = StoredConfig.Read(run.ConfigJson);
            if (!EnvRegistry.TryGet(config.Env, out _)) continue;
            costs[run.Id] = new RunCost(TrainingCost.Of(config).TotalFlops, run.TotalParameters,
                seconds.TryGetValue(run.Id, out var s) && s > 0 ? s / 3600 : null);
        }
        return costs;
    }
}

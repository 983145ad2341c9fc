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

/// <summary>The Scaling page's data for the page and the API alike: finished runs, their costs on compute axes, critical depths.</summary>
public sealed class ScalingQuery(RunsQuery runs, IOptions<CrlOptions> options)
{
    public double DefaultCriticalDepthThreshold => options.Value.Analysis.CriticalDepthThreshold;

    public BootstrapSettings Bootstrap => new(options.Value.Analysis.BootstrapResamples, options.Value.Analysis.BootstrapSeed);

    public async Task<ScalingChart> ChartAsync(string? env, long? sweepId, ScalingAxis axis, bool withPaper, double? threshold = null, CancellationToken cancellationToken = default)
    {
        var finished = await runs.ListAsync(new RunFilter(Env: env, SweepId: sweepId, WithResult: true), cancellationToken);
        var costs = axis.IsCompute() ? await CostsAsync(finished, cancellationToken) : null;
        return new ScalingChart(axis, finished,
            ScalingChartData.Lines(finished, axis, env, withPaper, costs),
            ScalingAnalysis.CriticalDepths(finished, axis, threshold ?? DefaultCriticalDepthThreshold, Bootstrap));
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

using System.Globalization;
using Crl.Jobs.Configuration;
using Crl.Web.Analysis;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Crl.Web.Queries;

/// <summary>
/// What the Aggregate view and <c>/api/aggregate</c> are asked, as the query string says it. Unset fields take the
/// view's defaults: the first config field that differs, its first group as the baseline, time at goal, and the
/// bootstrap settings of <c>Crl:Analysis</c>.
/// </summary>
public sealed record AggregateParameters(
    IReadOnlyList<long> SweepIds, IReadOnlyList<long> RunIds, string? GroupBy = null, string? Baseline = null,
    AggregateMetric Metric = AggregateMetric.TimeAtGoal, int? Resamples = null, ulong? Seed = null)
{
    public static readonly IReadOnlyList<string> Names = ["sweepIds", "runIds", "groupBy", "baseline", "metric", "resamples", "seed"];

    /// <summary>
    /// Reads the query string; every problem is reported under the parameter's name with what it allows.
    /// <paramref name="extra"/> names parameters an endpoint takes besides these (the CSV's <c>chart</c>).
    /// </summary>
    public static AggregateParameters? Parse(IEnumerable<KeyValuePair<string, StringValues>> query, Dictionary<string, string[]> errors, params string[] extra)
    {
        var values = query.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var name in values.Keys.Where(k => !Names.Concat(extra).Contains(k, StringComparer.OrdinalIgnoreCase)))
            errors[name] = [$"unknown parameter '{name}'; the parameters are {string.Join(", ", Names.Concat(extra))}"];

        var sweepIds = Ids(values, "sweepIds", "sweep", errors);
        var runIds = Ids(values, "runIds", "run", errors);
        if (sweepIds.Count == 0 && runIds.Count == 0 && !errors.ContainsKey("sweepIds") && !errors.ContainsKey("runIds"))
            errors["sweepIds"] = ["give sweepIds, runIds or both: comma-separated ids of the sweeps and runs to aggregate"];

        var metric = AggregateMetric.TimeAtGoal;
        if (Single(values, "metric") is { } m && !Enum.TryParse(m, ignoreCase: true, out metric) || !Enum.IsDefined(metric))
            errors["metric"] = [$"metric must be one of {string.Join(", ", Enum.GetNames<AggregateMetric>())}; got '{Single(values, "metric")}'"];

        int? resamples = null;
        if (Single(values, "resamples") is { } r)
        {
            if (int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= AnalysisOptions.MinResamples and <= AnalysisOptions.MaxResamples) resamples = n;
            else errors["resamples"] = [$"resamples must be an integer in [{AnalysisOptions.MinResamples}, {AnalysisOptions.MaxResamples}]; got '{r}'"];
        }
        ulong? seed = null;
        if (Single(values, "seed") is { } s)
        {
            if (ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) seed = v;
            else errors["seed"] = [$"seed must be an integer in [0, {ulong.MaxValue}]; got '{s}'"];
        }
        var groupBy = Single(values, "groupBy");
        var baseline = Single(values, "baseline");
        if (groupBy is { Length: 0 }) errors["groupBy"] = ["groupBy must name a config field (e.g. actorDepth); got an empty value"];
        return errors.Count == 0 ? new AggregateParameters(sweepIds, runIds, groupBy, baseline, metric, resamples, seed) : null;
    }

    private static string? Single(Dictionary<string, StringValues> values, string name) =>
        values.TryGetValue(name, out var v) ? v.ToString() : null;

    private static List<long> Ids(Dictionary<string, StringValues> values, string name, string what, Dictionary<string, string[]> errors)
    {
        var ids = new List<long>();
        if (!values.TryGetValue(name, out var v)) return ids;
        foreach (var text in v.SelectMany(t => (t ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) ids.Add(id);
            else
            {
                errors[name] = [$"{name} must be comma-separated {what} ids (positive integers); got '{text}'"];
                return [];
            }
        }
        return [.. ids.Distinct()];
    }
}

/// <summary>The Aggregate view's answer for the page and the API alike, so both show the same numbers.</summary>
public sealed class AggregateQuery(RunsQuery runs, SweepsQuery sweeps, IOptions<CrlOptions> options)
{
    public BootstrapSettings DefaultBootstrap => new(options.Value.Analysis.BootstrapResamples, options.Value.Analysis.BootstrapSeed);

    /// <summary>
    /// The report, or the problems with the parameters (keyed by parameter) when a sweep or run does not exist, the
    /// grouping field is not one of the runs' config fields, or the baseline is not one of its groups.
    /// </summary>
    public async Task<(AggregateReport? Report, Dictionary<string, string[]> Errors)> ReportAsync(AggregateParameters parameters, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        var missingSweeps = new List<long>();
        foreach (var id in parameters.SweepIds)
            if (!await sweeps.ExistsAsync(id, cancellationToken)) missingSweeps.Add(id);
        if (missingSweeps.Count > 0) errors["sweepIds"] = [$"no sweep has id {string.Join(", ", missingSweeps)}"];

        var selected = await runs.ListAsync(parameters.SweepIds, parameters.RunIds, cancellationToken);
        var missingRuns = parameters.RunIds.Except(selected.Select(r => r.Id)).ToList();
        if (missingRuns.Count > 0) errors["runIds"] = [$"no run has id {string.Join(", ", missingRuns)}"];
        if (errors.Count > 0) return (null, errors);

        var fields = AggregateReport.GroupingFields(selected);
        if (parameters.GroupBy is { } field && !fields.All.Contains(field))
            errors["groupBy"] = [$"'{field}' is not a config field of these runs; one of: {string.Join(", ", fields.All)}"];
        else
        {
            var question = AggregateReport.DefaultQuestion(selected, parameters.GroupBy, parameters.Baseline, parameters.Metric,
                new BootstrapSettings(parameters.Resamples ?? DefaultBootstrap.Resamples, parameters.Seed ?? DefaultBootstrap.RandomSeed));
            var groups = AggregateReport.Groups(selected, question.GroupBy, parameters.Metric);
            if (parameters.Baseline is { } baseline && !groups.Contains(baseline))
                errors["baseline"] = [groups.Count == 0
                    ? $"'{baseline}' is not a group: no run here has a final {parameters.Metric} yet"
                    : $"'{baseline}' is not a value of {question.GroupBy} among runs with a result; one of: {string.Join(", ", groups)}"];
            else return (AggregateReport.Build(selected, question), errors);
        }
        return (null, errors);
    }

    /// <summary>The runs the page offers grouping fields for, and their fields.</summary>
    public Task<List<Crl.Jobs.Persistence.Model.Run>> RunsAsync(AggregateParameters parameters, CancellationToken cancellationToken = default) =>
        runs.ListAsync(parameters.SweepIds, parameters.RunIds, cancellationToken);
}

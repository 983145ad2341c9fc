namespace Crl.Web.Components.Charts;

/// <summary>One line of a chart: raw points in x order; <see cref="MetricChart"/> smooths and downsamples them.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

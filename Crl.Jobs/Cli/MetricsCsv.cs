using System.Globalization;
using CsvHelper;
using Crl.Core.Training;

namespace Crl.Jobs.Cli;

/// <summary>
/// <c>metrics.csv</c>: one row per report (epoch), columns epoch, env_steps, updates, wall_time_s, then every metric of
/// <see cref="MetricNames.All"/> (empty where a report lacks it, e.g. training metrics at epoch 0).
/// Appends when the file exists, so a resumed run continues the same file.
/// </summary>
public sealed class MetricsCsv : IDisposable
{
    private readonly StreamWriter writer;
    private readonly CsvWriter csv;

    public MetricsCsv(string path)
    {
        var exists = File.Exists(path) && new FileInfo(path).Length > 0;
        writer = new StreamWriter(path, append: true);
        csv = CsvWriter.Create(writer, null, leaveOpen: true);
        if (exists) return;
        csv.WriteRecord([.. new[] { "epoch", "env_steps", "updates", "wall_time_s" }.Concat(MetricNames.All)]);
        csv.Flush();
        writer.Flush();
    }

    public void Write(MetricReport report)
    {
        var fields = new List<string>
        {
            report.Epoch.ToString(CultureInfo.InvariantCulture),
            report.EnvSteps.ToString(CultureInfo.InvariantCulture),
            report.Updates.ToString(CultureInfo.InvariantCulture),
            report.WallTimeSeconds.ToString("R", CultureInfo.InvariantCulture),
        };
        foreach (var name in MetricNames.All)
            fields.Add(report.Values.TryGetValue(name, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : "");
        csv.WriteRecord([.. fields]);
        csv.Flush();
        writer.Flush();
    }

    public void Dispose()
    {
        csv.Dispose();
        writer.Dispose();
    }
}

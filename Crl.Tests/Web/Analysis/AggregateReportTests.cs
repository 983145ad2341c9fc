using Crl.Jobs.Persistence.Model;
using Crl.Web.Analysis;
using Crl.Web.Exports;
using Xunit;

namespace Crl.Tests.Web.Analysis;

/// <summary>The Aggregate view's report: runs grouped by a config field, the drawn rows, the CSV and the paper's overlay.</summary>
public class AggregateReportTests
{
    private static readonly BootstrapSettings Quick = new(Resamples: 400, RandomSeed: 3);

    private static Run Finished(string env, int depth, long seed, double timeAtGoal, double success = 0.5, int episodeLength = 10) => new()
    {
        Env = env, ActorDepth = depth, CriticDepth = depth, ActorWidth = 256, CriticWidth = 256, BatchSize = 256, Seed = seed,
        ConfigJson = $$"""{"env":"{{env}}","actorDepth":{{depth}},"criticDepth":{{depth}},"seed":{{seed}},"episodeLength":{{episodeLength}}}""",
        State = RunState.Succeeded, FinalTimeAtGoal = timeAtGoal, FinalSuccessRate = success,
    };

    [Fact]
    public void Figures_on_one_task_match_the_hand_computed_values()
    {
        // Depth 4 scores 1..4, depth 16 scores 5..8 (episode length 10, so γ = 10).
        Run[] runs = [.. new[] { 1.0, 2, 3, 4 }.Select((s, i) => Finished("point_u_maze", 4, i, s)), .. new[] { 5.0, 6, 7, 8 }.Select((s, i) => Finished("point_u_maze", 16, i, s))];

        var report = AggregateReport.Build(runs, new AggregateQuestion("actorDepth", "4", AggregateMetric.TimeAtGoal, Quick));

        Assert.Equal(10, report.OptimalityThreshold);
        Assert.Equal(["4", "16"], report.Result.Groups.Select(g => g.Group));
        var shallow = report.Result.Groups[0];
        Assert.Equal(2.5, shallow.Mean.Value, 12);
        Assert.Equal(2.5, shallow.Iqm.Value, 12);             // n = 4: cut 1 from each end → (2 + 3) / 2
        Assert.Equal(7.5, shallow.OptimalityGap.Value, 12);   // mean of 10 − score
        Assert.Equal(6.5, report.Result.Groups[1].Median.Value, 12);   // one task: the median of task means is its mean
        // Every depth-16 run beats every depth-4 run: P = 1 in every resample too.
        var improvement = Assert.Single(report.Rows(AggregateCharts.Improvement));
        Assert.Equal(("16", "4", 1.0, 1.0, 1.0), (improvement.Group, improvement.Baseline, improvement.Value, improvement.Lower!.Value, improvement.Upper!.Value));
        // Profile at τ = 0.4 · γ = 4: depth 4 has none of its runs above 4 (4 is not above), depth 16 all of them.
        var profile = report.Rows(AggregateCharts.Profiles).Where(r => r.Threshold == 4).ToDictionary(r => r.Group, r => r.Value);
        Assert.Equal(0, profile["4"]);
        Assert.Equal(1, profile["16"]);
        Assert.Equal(2 * (AggregateReport.ProfileSteps + 1), report.Rows(AggregateCharts.Profiles).Count());
    }

    [Fact]
    public async Task The_csv_is_the_drawn_rows_chart_by_chart_with_every_digit()
    {
        var runs = Enumerable.Range(0, 6).SelectMany(seed => new[] { Finished("point_u_maze", 4, seed, 1 + seed / 3.0), Finished("point_u_maze", 8, seed, 2 + seed / 7.0) }).ToList();
        var report = AggregateReport.Build(runs, new AggregateQuestion("actorDepth", "4", AggregateMetric.TimeAtGoal, Quick));

        foreach (var chart in AggregateCharts.All)
        {
            using var csv = new StringWriter();
            await CsvExports.WriteAggregateAsync(csv, report, chart);
            var lines = csv.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(string.Join(',', CsvExports.AggregateColumns), lines[0]);
            var rows = report.Rows(chart).ToList();
            Assert.Equal(rows.Count, lines.Length - 1);
            for (int i = 0; i < rows.Count; i++)
            {
                var cells = lines[i + 1].Split(',');
                Assert.Equal((rows[i].Chart, rows[i].Statistic, rows[i].Group), (cells[0], cells[2], cells[3]));
                Assert.Equal(rows[i].Value, double.Parse(cells[6], System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(rows[i].Lower, double.Parse(cells[7], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    [Fact]
    public void The_papers_numbers_ride_along_for_a_depth_grouping_on_its_tasks_and_leave_ours_untouched()
    {
        // ant_big_maze at depths 4 and 8: the paper's Figure 1 has 61 and 320.
        var runs = Enumerable.Range(0, 5).SelectMany(seed => new[] { Finished("ant_big_maze", 4, seed, 50 + seed), Finished("ant_big_maze", 8, seed, 200 + seed) }).ToList();

        var withPaper = AggregateReport.Build(runs, new AggregateQuestion("actorDepth", "4", AggregateMetric.TimeAtGoal, Quick));
        var bySeedField = AggregateReport.Build(runs.Select(r => { var copy = Finished(r.Env, r.ActorDepth, r.Seed, r.FinalTimeAtGoal!.Value); copy.ConfigJson = copy.ConfigJson.Replace("\"actorDepth\"", "\"depth\""); return copy; }),
            new AggregateQuestion("depth", "4", AggregateMetric.TimeAtGoal, Quick));

        var paper = withPaper.Rows(AggregateCharts.Intervals).Where(r => r.Source == AggregateRow.Paper).ToList();
        Assert.Equal([("mean", "4", 61.0), ("median", "4", 61), ("mean", "8", 320), ("median", "8", 320)],
            paper.Select(r => (r.Statistic, r.Group, r.Value)).OrderBy(r => r.Group).ThenBy(r => r.Statistic));
        Assert.All(paper, r => Assert.Null(r.Lower));
        // Our rows are the same numbers whether or not the paper's join them.
        Assert.Equal(bySeedField.Rows().Select(r => (r.Statistic, r.Value, r.Lower, r.Upper)),
            withPaper.Rows().Where(r => r.Source == AggregateRow.Ours).Select(r => (r.Statistic, r.Value, r.Lower, r.Upper)));
        Assert.Empty(AggregateReport.Build(runs, new AggregateQuestion("actorDepth", "4", AggregateMetric.Success, Quick)).PaperRows);
    }

    [Fact]
    public void Defaults_group_by_the_first_field_that_differs_other_than_env_and_seed_with_its_first_group_as_baseline()
    {
        Run[] runs = [Finished("point_u_maze", 16, 1, 3), Finished("point_u_maze", 4, 2, 2), Finished("point_big_maze", 4, 1, 1)];

        var question = AggregateReport.DefaultQuestion(runs, null, null, AggregateMetric.Success, Quick);

        Assert.Equal(("actorDepth", "4"), (question.GroupBy, question.Baseline));
        Assert.DoesNotContain("seed", AggregateReport.GroupingFields(runs).All);
        Assert.DoesNotContain("env", AggregateReport.GroupingFields(runs).All);
        var report = AggregateReport.Build(runs, question);
        Assert.Equal(1, report.OptimalityThreshold);   // success tops out at 1
        Assert.Equal(["point_big_maze", "point_u_maze"], report.Tasks);
    }
}

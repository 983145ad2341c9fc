using System.Text.Json;
using Crl.Core.Sampling;
using Crl.Web.Analysis;
using Xunit;

namespace Crl.Tests.Web.Analysis;

public class AggregateStatisticsTests
{
    private static readonly BootstrapSettings Quick = new(Resamples: 500, RandomSeed: 7);

    private static IEnumerable<RunScore> Runs(string group, string task, params double[] scores) =>
        scores.Select((s, i) => new RunScore(task, group, i + 1, s));

    private static GroupAggregate Single(AggregateResult result, string group) => result.Groups.Single(g => g.Group == group);

    // ---- the IQM's cut -------------------------------------------------------------------------------------------

    [Fact]
    public void Iqm_of_one_to_eight_is_the_mean_of_three_to_six()
    {
        // n = 8: ⌊8/4⌋ = 2 cut from each end → 3, 4, 5, 6 → 18 / 4.
        Assert.Equal(4.5, AggregateStatistics.Iqm([1, 2, 3, 4, 5, 6, 7, 8]), 12);
    }

    [Fact]
    public void Iqm_cuts_the_floor_of_a_quarter_as_scipy_trim_mean_does_not_a_fractional_middle_half()
    {
        // n = 6: ⌊1.5⌋ = 1 cut from each end → 2, 3, 4, 5 → 3.5 (rliable). Taking exactly the middle 3 runs with the
        // boundary runs weighted ½ would give (½·2 + 3 + 4 + ½·5) / 3 = 3.1667; we do not.
        Assert.Equal(3.5, AggregateStatistics.Iqm([1, 2, 3, 4, 5, 60]), 12);
        Assert.Equal(0, AggregateStatistics.IqmTrim(3));
        Assert.Equal(1, AggregateStatistics.IqmTrim(7));
        Assert.Equal(2, AggregateStatistics.IqmTrim(8));
    }

    /// <summary>Fixed inputs, IQMs derived by hand; each checked both by the definition and through the bootstrap's pass.</summary>
    public static TheoryData<double[], double> IqmTable => new()
    {
        { [7], 7 },                                                 // n = 1: nothing cut
        { [1, 100], 50.5 },                                         // n = 2: ⌊0.5⌋ = 0 cut → (1 + 100) / 2
        { [3, 1, 2], 2 },                                           // n = 3: nothing cut → 6 / 3
        { [5, 1, 4, 2, 3], 3 },                                     // n = 5: 1 cut each end → 2, 3, 4 → 9 / 3
        { [1, 2, 3, 4, 5, 60], 3.5 },                               // n = 6: 1 cut → 2, 3, 4, 5 → 14 / 4
        { [1, 2, 3, 4, 5, 6, 7, 8], 4.5 },                          // n = 8: 2 cut → 3..6 → 18 / 4
        { [2, 2, 2, 9, 9, 9, 0, 0, 0], 3 },                         // n = 9: 2 cut → sorted 0,0,|0,2,2,2,9|,9,9 → 15 / 5
        { [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120], 65 },// n = 12: 3 cut → 40..90 → 390 / 6
        { [-4, 100, 0, 0.5, 1, -1000, 2, 3], 0.875 },               // n = 8: sorted −1000,−4,|0,0.5,1,2|,3,100 → 3.5 / 4
    };

    [Theory]
    [MemberData(nameof(IqmTable))]
    public void Iqm_reference_table(double[] scores, double expected)
    {
        Assert.Equal(expected, AggregateStatistics.Iqm(scores), 12);
        var result = AggregateStatistics.Compute(Runs("g", "task", scores), new AggregateOptions(Bootstrap: Quick));
        Assert.Equal(expected, Single(result, "g").Iqm.Value, 12);
    }

    // ---- point estimates by hand ---------------------------------------------------------------------------------

    [Fact]
    public void Mean_and_median_are_over_task_means_iqm_gap_and_profile_over_all_runs()
    {
        // Task t1: 1, 2, 3, 6 (mean 3); t2: 10, 20 (mean 15); t3: 0 (mean 0).
        var runs = Runs("a", "t1", 1, 2, 3, 6).Concat(Runs("a", "t2", 10, 20)).Concat(Runs("a", "t3", 0));
        var result = AggregateStatistics.Compute(runs, new AggregateOptions(OptimalityThreshold: 5, ProfileThresholds: [2, 10], Bootstrap: Quick));
        var a = Single(result, "a");

        Assert.Equal((7, 3), (a.Runs, a.Tasks));
        Assert.Equal(6, a.Mean.Value, 12);              // (3 + 15 + 0) / 3
        Assert.Equal(3, a.Median.Value, 12);            // median of {0, 3, 15}
        Assert.Equal(4.4, a.Iqm.Value, 12);             // pooled 0,|1,2,3,6,10|,20 (⌊7/4⌋ = 1 cut) → 22 / 5
        Assert.Equal(2, a.OptimalityGap.Value, 12);     // γ = 5: 5 + 4 + 3 + 2 + 0 + 0 + 0 = 14 over 7 runs
        Assert.Equal([2.0, 10], result.ProfileThresholds);
        Assert.Equal(4.0 / 7, a.Profile[0].Value, 12);  // above 2: 3, 6, 10, 20
        Assert.Equal(1.0 / 7, a.Profile[1].Value, 12);  // above 10: only 20 (strictly above)
    }

    [Fact]
    public void Median_of_an_even_count_averages_the_two_middle_values()
    {
        Assert.Equal(2.5, AggregateStatistics.Median(new double[] { 4, 1, 3, 2 }));
        Assert.Equal(3, AggregateStatistics.Median(new double[] { 5, 3, 1 }));
        // Two tasks: task means 1 and 4 → median 2.5, equal to the mean.
        var result = AggregateStatistics.Compute(Runs("g", "a", 0, 2).Concat(Runs("g", "b", 4)), new AggregateOptions(Bootstrap: Quick));
        Assert.Equal(2.5, Single(result, "g").Median.Value, 12);
    }

    [Fact]
    public void Optimality_gap_gives_no_credit_above_gamma()
    {
        // γ = 1: 0.2 → 0.8, 0.5 → 0.5, 1.5 → 0 (not −0.5) → 1.3 / 3.
        Assert.Equal(1.3 / 3, AggregateStatistics.OptimalityGap([0.2, 0.5, 1.5], 1), 12);
        var result = AggregateStatistics.Compute(Runs("g", "t", 0.2, 0.5, 1.5), new AggregateOptions(Bootstrap: Quick));
        Assert.Equal(1.3 / 3, Single(result, "g").OptimalityGap.Value, 12);
    }

    [Fact]
    public void Probability_of_improvement_of_two_tiny_groups_by_hand()
    {
        // Task t1: X = 3, 5 against Y = 1, 3, 4. x = 3: beats 1, ties 3 (½), loses to 4 → 1.5; x = 5 beats all three → 3.
        // 4.5 / (2 · 3) = 0.75. Task t2: X = 0 against Y = 1 → 0. Averaged over the two tasks: 0.375.
        Assert.Equal(0.75, AggregateStatistics.ProbabilityOfImprovement([3, 5], [1, 3, 4]), 12);
        var runs = Runs("x", "t1", 3, 5).Concat(Runs("y", "t1", 1, 3, 4)).Concat(Runs("x", "t2", 0)).Concat(Runs("y", "t2", 1));
        var result = AggregateStatistics.Compute(runs, new AggregateOptions(Baseline: "y", Bootstrap: Quick));

        var poi = Assert.Single(result.Improvements);
        Assert.Equal(("x", "y", 2), (poi.Group, poi.Baseline, poi.Tasks));
        Assert.Equal(0.375, poi.Probability!.Value.Value, 12);
    }

    [Fact]
    public void Matches_rliables_own_metric_test()
    {
        // rliable's metrics_test: X (runs × tasks) = [[1,2],[2,2],[1,1],[2,1]], Y = [[1,1],[2,2],[3,3]]:
        // mean, median and IQM 1.5 for X and 2 for Y; P(X > Y) = 1/3 (each task: (2·½ + 2·1.5) / 12).
        var runs = Runs("X", "t1", 1, 2, 1, 2).Concat(Runs("X", "t2", 2, 2, 1, 1))
            .Concat(Runs("Y", "t1", 1, 2, 3)).Concat(Runs("Y", "t2", 1, 2, 3));
        var result = AggregateStatistics.Compute(runs, new AggregateOptions(Baseline: "Y", Bootstrap: Quick));

        var x = Single(result, "X");
        var y = Single(result, "Y");
        Assert.Equal([1.5, 1.5, 1.5], new[] { x.Mean.Value, x.Median.Value, x.Iqm.Value });
        Assert.Equal([2.0, 2, 2], new[] { y.Mean.Value, y.Median.Value, y.Iqm.Value });
        Assert.Equal(1.0 / 3, result.Improvements.Single().Probability!.Value.Value, 12);
    }

    [Fact]
    public void The_fast_resampling_pass_agrees_with_the_definitions_on_scores_with_ties()
    {
        var random = new Xoshiro256(3);
        var runs = new List<RunScore>();
        foreach (var task in new[] { "a", "b", "c" })
            foreach (var group in new[] { "x", "y" })
                for (int seed = 0; seed < 5 + random.NextInt(20); seed++)
                    runs.Add(new RunScore(task, group, seed, random.NextInt(6)));   // few distinct values: many ties
        double[] taus = [-1, 0, 2.5, 3, 5];
        var result = AggregateStatistics.Compute(runs, new AggregateOptions(OptimalityThreshold: 3, ProfileThresholds: taus, Baseline: "y", Bootstrap: Quick));

        foreach (var group in result.Groups)
        {
            var mine = runs.Where(r => r.Group == group.Group).ToList();
            var scores = mine.Select(r => r.Score).ToList();
            var taskMeans = mine.GroupBy(r => r.Task).Select(t => t.Average(r => r.Score)).ToArray();
            Assert.Equal(taskMeans.Average(), group.Mean.Value, 12);
            Assert.Equal(AggregateStatistics.Median(taskMeans), group.Median.Value, 12);
            Assert.Equal(AggregateStatistics.Iqm(scores), group.Iqm.Value, 12);
            Assert.Equal(AggregateStatistics.OptimalityGap(scores, 3), group.OptimalityGap.Value, 12);
            for (int i = 0; i < taus.Length; i++) Assert.Equal(AggregateStatistics.FractionAbove(scores, taus[i]), group.Profile[i].Value, 12);
        }
        double expected = new[] { "a", "b", "c" }.Average(t => AggregateStatistics.ProbabilityOfImprovement(
            runs.Where(r => r.Task == t && r.Group == "x").Select(r => r.Score).ToList(),
            runs.Where(r => r.Task == t && r.Group == "y").Select(r => r.Score).ToList()));
        Assert.Equal(expected, result.Improvements.Single().Probability!.Value.Value, 12);
    }

    // ---- the bootstrap -------------------------------------------------------------------------------------------

    private static List<RunScore> Noisy(ulong seed)
    {
        var random = new Xoshiro256(seed);
        var runs = new List<RunScore>();
        string[] groups = ["4", "16", "64"];
        for (int g = 0; g < groups.Length; g++)
            foreach (var task in new[] { "ant", "humanoid", "point" })
                for (int s = 0; s < 20; s++)
                    runs.Add(new RunScore(task, groups[g], s, 0.3 * g + 0.2 * random.NextGaussian()));
        return runs;
    }

    private static string Json(AggregateResult result) => JsonSerializer.Serialize(result);

    [Fact]
    public void The_same_seed_gives_the_same_intervals_a_different_seed_different_ones()
    {
        var runs = Noisy(1);
        var options = new AggregateOptions(ProfileThresholds: [0, 0.5], Baseline: "4", Bootstrap: new(Resamples: 300, RandomSeed: 11));
        var first = AggregateStatistics.Compute(runs, options);

        Assert.Equal(Json(first), Json(AggregateStatistics.Compute(runs, options)));
        var other = AggregateStatistics.Compute(runs, options with { Bootstrap = new(Resamples: 300, RandomSeed: 12) });
        Assert.NotEqual(Json(first), Json(other));
        Assert.NotEqual(Single(first, "16").Iqm.Lower, Single(other, "16").Iqm.Lower);
        Assert.Equal(Single(first, "16").Iqm.Value, Single(other, "16").Iqm.Value);   // the point estimate takes no randomness
    }

    [Fact]
    public void Intervals_do_not_depend_on_the_order_of_the_runs_or_on_the_other_groups()
    {
        var runs = Noisy(2);
        var options = new AggregateOptions(ProfileThresholds: [0.2], Bootstrap: Quick);
        var reference = AggregateStatistics.Compute(runs, options);

        var shuffled = runs.OrderBy(r => r.Score).ToList();   // as a database might list them
        Assert.Equal(Json(reference), Json(AggregateStatistics.Compute(shuffled, options)));

        var alone = AggregateStatistics.Compute(runs.Where(r => r.Group == "16"), options);
        Assert.Equal(JsonSerializer.Serialize(Single(reference, "16")), JsonSerializer.Serialize(Single(alone, "16")));
    }

    [Fact]
    public void Every_interval_contains_its_point_estimate()
    {
        var result = AggregateStatistics.Compute(Noisy(3), new AggregateOptions(OptimalityThreshold: 0.5, ProfileThresholds: [-0.2, 0, 0.3, 0.6], Baseline: "16", Bootstrap: Quick));
        var estimates = result.Groups.SelectMany(g => new[] { g.Mean, g.Median, g.Iqm, g.OptimalityGap }.Concat(g.Profile))
            .Concat(result.Improvements.Select(i => i.Probability!.Value));
        foreach (var e in estimates) Assert.True(e.Lower <= e.Value && e.Value <= e.Upper, $"{e} does not contain its point estimate");
        // Sixty noisy runs leave the location statistics some width (a profile far below every run may collapse on 1).
        foreach (var g in result.Groups) Assert.True(g.Mean.Lower < g.Mean.Upper && g.Iqm.Lower < g.Iqm.Upper, $"{g.Group}: no width");
        // The groups are 0.3 apart with seed noise 0.2 over 60 runs: the deepest clearly beats the baseline.
        Assert.True(result.Improvements.Single(i => i.Group == "64").Probability!.Value.Lower > 0.5);
    }

    [Fact]
    public void A_wider_confidence_gives_a_wider_interval()
    {
        var runs = Noisy(4).Where(r => r.Group == "4").ToList();
        var narrow = Single(AggregateStatistics.Compute(runs, new AggregateOptions(Bootstrap: Quick with { Confidence = 0.5 })), "4").Iqm;
        var wide = Single(AggregateStatistics.Compute(runs, new AggregateOptions(Bootstrap: Quick with { Confidence = 0.99 })), "4").Iqm;
        Assert.True(wide.Lower < narrow.Lower && narrow.Upper < wide.Upper);
    }

    [Fact]
    public void Resampling_stays_within_tasks_so_a_task_with_one_run_always_contributes_that_run()
    {
        // One run per task: every stratified resample is the data itself, so every interval collapses onto its point.
        // Pooled resampling would sometimes draw 10 twice, giving a mean of 10 and a wide interval.
        var result = AggregateStatistics.Compute(Runs("g", "a", 10).Concat(Runs("g", "b", 20)),
            new AggregateOptions(OptimalityThreshold: 30, ProfileThresholds: [15], Bootstrap: Quick));
        var g = Single(result, "g");
        Assert.Equal(new Estimate(15, 15, 15), g.Mean);
        Assert.Equal(new Estimate(15, 15, 15), g.Median);
        Assert.Equal(new Estimate(15, 15, 15), g.Iqm);
        Assert.Equal(new Estimate(15, 15, 15), g.OptimalityGap);
        Assert.Equal(new Estimate(0.5, 0.5, 0.5), g.Profile.Single());

        // One task with a single run of 1000 next to ten runs in [0, 0.9]: every resampled task mean includes the 1000,
        // so the mean of the two task means never drops below 500.
        var mixed = AggregateStatistics.Compute(Runs("g", "lonely", 1000).Concat(Runs("g", "crowd", 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)),
            new AggregateOptions(Bootstrap: Quick));
        var mean = Single(mixed, "g").Mean;
        Assert.Equal(500.225, mean.Value, 12);
        Assert.InRange(mean.Lower, 500, 500.225);
        Assert.InRange(mean.Upper, 500.225, 500.45);
    }

    [Fact]
    public void Probability_of_improvement_resamples_both_groups_within_tasks()
    {
        // One run each per task: every resample gives the same comparison, 1 on t1 (2 > 1) and ½ on t2 (a tie).
        var runs = Runs("x", "t1", 2).Concat(Runs("y", "t1", 1)).Concat(Runs("x", "t2", 5)).Concat(Runs("y", "t2", 5));
        var poi = AggregateStatistics.Compute(runs, new AggregateOptions(Baseline: "y", Bootstrap: Quick)).Improvements.Single();
        Assert.Equal(new Estimate(0.75, 0.75, 0.75), poi.Probability);
    }

    // ---- shape of the result and bad input -----------------------------------------------------------------------

    [Fact]
    public void Groups_come_in_numeric_order_then_text()
    {
        var runs = new[] { "64", "4", "true", "16", "false" }.SelectMany(g => Runs(g, "t", 1));
        var result = AggregateStatistics.Compute(runs, new AggregateOptions(Bootstrap: Quick));
        Assert.Equal(["4", "16", "64", "false", "true"], result.Groups.Select(g => g.Group));
    }

    [Fact]
    public void A_group_sharing_no_task_with_the_baseline_has_no_probability()
    {
        var runs = Runs("x", "t1", 1).Concat(Runs("y", "t2", 1)).Concat(Runs("z", "t2", 2));
        var result = AggregateStatistics.Compute(runs, new AggregateOptions(Baseline: "y", Bootstrap: Quick));
        Assert.Equal(["x", "z"], result.Improvements.Select(i => i.Group));
        Assert.Equal((0, (Estimate?)null), (result.Improvements[0].Tasks, result.Improvements[0].Probability));
        Assert.Equal(new Estimate(1, 1, 1), result.Improvements[1].Probability);
        Assert.Contains("null", JsonSerializer.Serialize(result.Improvements[0]));
    }

    [Fact]
    public void Bad_input_is_refused_with_a_reason()
    {
        var runs = Runs("x", "t", 1, 2).ToList();
        Assert.Contains("baseline", Assert.Throws<ArgumentException>(() => AggregateStatistics.Compute(runs, new AggregateOptions(Baseline: "nope"))).Message);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => AggregateStatistics.Compute(runs.Append(new RunScore("t", "x", 3, double.NaN)))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => AggregateStatistics.Compute(runs, new AggregateOptions(Bootstrap: new(Resamples: 0))));
        Assert.Throws<ArgumentOutOfRangeException>(() => AggregateStatistics.Compute(runs, new AggregateOptions(Bootstrap: new(Confidence: 1))));
        Assert.Empty(AggregateStatistics.Compute([]).Groups);
    }
}

using Crl.Benchmarks.Harness;
using Crl.Jobs.Runs;
using Crl.Tests.Support;
using Crl.Web.Analysis;
using Crl.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>
/// Opening the Scaling page computes its chart once (prerendered, then reused by the interactive page), and a chart
/// asked for again never shows older results than the database holds.
/// </summary>
public class ScalingQueryReuseTests : PageTestBase
{
    private long sweepId;

    protected override async Task SeedAsync()
    {
        var sweep = await SyntheticRuns.WriteAsync(DbFactory, DataDirectory,
            SyntheticSweeps.Request("depths", ["point_u_maze"], [4, 8, 16], seeds: 3, widths: [64]), SyntheticSweeps.DeeperIsBetter);
        sweepId = sweep.Id;
    }

    private ScalingQuery Query => Context.Services.GetRequiredService<ScalingQuery>();

    [Fact]
    public async Task The_same_chart_asked_again_with_unchanged_runs_is_not_computed_again()
    {
        var first = await Query.ChartAsync(null, sweepId, ScalingAxis.ActorDepth, withPaper: false);
        var again = await Query.ChartAsync(null, sweepId, ScalingAxis.ActorDepth, withPaper: false);
        var otherThreshold = await Query.ChartAsync(null, sweepId, ScalingAxis.ActorDepth, withPaper: false, threshold: 1e9);

        Assert.Same(first, again);
        Assert.NotSame(first, otherThreshold);
        Assert.All(otherThreshold.CriticalDepths, c => Assert.Null(c.Depth));
    }

    [Fact]
    public async Task A_changed_or_deleted_run_shows_in_the_next_chart()
    {
        var before = await Query.ChartAsync(null, sweepId, ScalingAxis.ActorDepth, withPaper: false);
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            // A run's result changes as a finishing run's would: its row is stamped with the time of the change.
            var run = await db.Runs.Where(r => r.SweepId == sweepId && r.ActorDepth == 16).OrderBy(r => r.Id).FirstAsync();
            run.FinalTimeAtGoal = 1000;
            run.UpdatedAt = DateTime.UtcNow;
            await db.SaveChangesAsync();
        }
        var changed = await Query.ChartAsync(null, sweepId, ScalingAxis.ActorDepth, withPaper: false);

        Assert.Contains(changed.Runs, r => r.FinalTimeAtGoal == 1000);
        Assert.True(changed.Lines.Single().Points.Single(p => p.X == 16).Mean > before.Lines.Single().Points.Single(p => p.X == 16).Mean);

        // Deleting stamps nothing; the count tells.
        await Context.Services.GetRequiredService<RunQueue>().DeleteSweepAsync(sweepId);
        var deleted = await Query.ChartAsync(null, sweepId, ScalingAxis.ActorDepth, withPaper: false);

        Assert.Empty(deleted.Runs);
        Assert.Empty(deleted.Lines);
    }
}

using Crl.Jobs.Persistence.Model;
using Crl.Tests.Support;
using Crl.Web.Queries;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>The Runs table filters, sorts and pages in the database.</summary>
public class RunsQueryTests : PageTestBase
{
    protected override async Task SeedAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        for (int i = 0; i < 30; i++)
            db.Runs.Add(new Run
            {
                Env = i % 3 == 0 ? "reacher" : "point_u_maze", ActorDepth = 4 * (1 + i % 4), CriticDepth = 4, ConfigJson = "{}",
                State = i % 2 == 0 ? RunState.Succeeded : RunState.Queued, FinalTimeAtGoal = i % 2 == 0 ? i : null,
                CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Filters_sort_and_pages_are_applied_by_the_database()
    {
        var query = new RunsQuery(DbFactory);

        var (page, total) = await query.PageAsync(new RunFilter(Env: "point_u_maze", State: RunState.Succeeded), new RunOrder(nameof(RunSummary.FinalTimeAtGoal), Descending: true), skip: 2, take: 3);

        // Succeeded point_u_maze runs are i = 2, 4, 8, 10, 14, 16, 20, 22, 26, 28 (i % 3 != 0, even).
        Assert.Equal(10, total);
        Assert.Equal([22.0, 20, 16], page.Select(r => r.FinalTimeAtGoal!.Value));
        Assert.All(page, r => Assert.Equal("point_u_maze", r.Env));

        var (byDepth, all) = await query.PageAsync(new RunFilter(), new RunOrder(nameof(RunSummary.ActorDepth), Descending: false), skip: 0, take: 100);
        Assert.Equal(30, all);
        Assert.Equal(byDepth.Select(r => r.ActorDepth).Order(), byDepth.Select(r => r.ActorDepth));
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Crl.Jobs.Persistence;

/// <summary>
/// Applies pending migrations when the host starts, before the job server fetches any job. The dashboard and its
/// workers may start together on one database: EF takes its migration lock and decides what is pending under it, so
/// no separate check comes first. EF itself logs each migration it applies, or that none was pending (category
/// <c>Microsoft.EntityFrameworkCore.Migrations</c>, at Information in appsettings.json).
/// </summary>
public sealed class DatabaseMigrator(IDbContextFactory<ExperimentDb> dbFactory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

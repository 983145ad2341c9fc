using Crl.Benchmarks.Harness;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Xunit;

namespace Crl.Tests.Jobs;

/// <summary>Upgrading a database from before roles: its admins stay admins, everyone else becomes a member, and old sessions end.</summary>
public sealed class UserMigrationTests : IDisposable
{
    private readonly TempDirectory temp = new("crl-user-migration");

    [Fact]
    public async Task Stored_admins_become_the_admin_role_and_every_user_gets_a_stamp_of_their_own()
    {
        await using var db = new ExperimentDb(new DbContextOptionsBuilder<ExperimentDb>().UseSqlite($"Data Source={temp.Combine("crl.db")}").Options);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("20261125194155_AddApiTokens");
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "Users" ("Name", "PasswordHash", "IsAdmin", "CreatedAt") VALUES ('root', 'h1', 1, '2026-01-01'), ('ann', 'h2', 0, '2026-01-01');
            """);

        await migrator.MigrateAsync();

        var users = await db.Users.AsNoTracking().OrderBy(u => u.Name).ToListAsync();
        Assert.Equal([("ann", UserRole.Member), ("root", UserRole.Admin)], users.Select(u => (u.Name, u.Role)));
        Assert.All(users, u => Assert.Matches("^[0-9a-f]{32}$", u.SecurityStamp));
        Assert.NotEqual(users[0].SecurityStamp, users[1].SecurityStamp);
        Assert.All(users, u => Assert.False(u.IsDisabled));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        temp.Dispose();
    }
}

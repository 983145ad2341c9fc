using System.Security.Cryptography;
using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Crl.Web.Auth;

/// <summary>
/// Makes sure someone can sign in: the administrator named by <c>Crl:Auth:AdminUser</c> gets
/// <c>Crl:Auth:AdminPassword</c> when it is set; on a fresh database without one, a random password is generated,
/// logged once and written to <c>&lt;DataDirectory&gt;/initial-admin-password</c>.
/// </summary>
public sealed class AdminAccount(
    IDbContextFactory<ExperimentDb> dbFactory,
    IOptions<CrlOptions> options,
    IPasswordHasher<User> hasher,
    TimeProvider clock,
    ILogger<AdminAccount> logger) : IHostedService
{
    public const string InitialPasswordFile = "initial-admin-password";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var auth = options.Value.Auth;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var admin = await db.Users.SingleOrDefaultAsync(u => u.Name == auth.AdminUser, cancellationToken);

        if (!string.IsNullOrEmpty(auth.AdminPassword))
        {
            if (admin is null)
            {
                admin = NewAdmin(auth.AdminUser);
                db.Users.Add(admin);
            }
            else if (hasher.VerifyHashedPassword(admin, admin.PasswordHash, auth.AdminPassword) != PasswordVerificationResult.Failed)
            {
                return;
            }
            admin.PasswordHash = hasher.HashPassword(admin, auth.AdminPassword);
            admin.IsAdmin = true;
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Administrator '{User}' signs in with the password from Crl:Auth:AdminPassword", auth.AdminUser);
            return;
        }

        if (await db.Users.AnyAsync(cancellationToken)) return;

        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', '-').Replace('/', '_');
        admin = NewAdmin(auth.AdminUser);
        admin.PasswordHash = hasher.HashPassword(admin, password);
        db.Users.Add(admin);
        await db.SaveChangesAsync(cancellationToken);

        var file = Path.Combine(options.Value.DataDirectory, InitialPasswordFile);
        await File.WriteAllTextAsync(file, password + Environment.NewLine, cancellationToken);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        logger.LogWarning("Created administrator '{User}' with password {Password} (also in {File}); set Crl:Auth:AdminPassword to choose one",
            auth.AdminUser, password, file);
    }

    private User NewAdmin(string name) => new() { Name = name, PasswordHash = "", IsAdmin = true, CreatedAt = clock.GetUtcNow().UtcDateTime };

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Crl.Jobs.Accounts;
using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Crl.Web.Auth;

/// <summary>
/// Makes sure someone can sign in: the administrator named by <c>Crl:Auth:AdminUser</c> gets
/// <c>Crl:Auth:AdminPassword</c> when it is set (and the admin role, enabled and unlocked); on a fresh database
/// without one, a random password is generated and written, readable by this account only, to
/// <c>&lt;DataDirectory&gt;/initial-admin-password</c>. The log says where, never what.
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
            else if (hasher.VerifyHashedPassword(admin, admin.PasswordHash, auth.AdminPassword) != PasswordVerificationResult.Failed
                     && admin is { Role: UserRole.Admin, IsDisabled: false })
            {
                return;
            }
            admin.PasswordHash = hasher.HashPassword(admin, auth.AdminPassword);
            admin.Role = UserRole.Admin;
            admin.IsDisabled = false;
            admin.FailedSignIns = 0;
            admin.LockedUntil = null;
            admin.SecurityStamp = UserAccounts.NewSecurityStamp();
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Administrator '{User}' signs in with the password from Crl:Auth:AdminPassword", auth.AdminUser);
            return;
        }

        if (await db.Users.AnyAsync(cancellationToken)) return;

        var password = UserAccounts.NewPassword();
        admin = NewAdmin(auth.AdminUser);
        admin.PasswordHash = hasher.HashPassword(admin, password);
        db.Users.Add(admin);
        await db.SaveChangesAsync(cancellationToken);

        var file = Path.Combine(options.Value.DataDirectory, InitialPasswordFile);
        await WritePrivateAsync(file, password + Environment.NewLine, cancellationToken);
        logger.LogWarning("Created administrator '{User}'; the generated password is in {File} (readable by this account only). Set Crl:Auth:AdminPassword to choose one",
            auth.AdminUser, file);
    }

    /// <summary>Created with mode 600, so there is no moment at which another account could read it.</summary>
    private static async Task WritePrivateAsync(string file, string text, CancellationToken cancellationToken)
    {
        // A file left from an earlier database keeps its old mode if opened in place: start from a new one.
        File.Delete(file);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(file, create);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(text.AsMemory(), cancellationToken);
    }

    private User NewAdmin(string name) => new()
    {
        Name = name,
        PasswordHash = "",
        Role = UserRole.Admin,
        SecurityStamp = UserAccounts.NewSecurityStamp(),
        CreatedAt = clock.GetUtcNow().UtcDateTime,
    };

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Accounts;

/// <summary>A user as the admin page and <c>users list</c> show them: never the password hash or stamp.</summary>
public sealed record UserInfo(long Id, string Name, UserRole Role, bool IsDisabled, DateTime? LockedUntil, DateTime CreatedAt);

/// <summary>Why a sign-in was refused; logged with the name and address, never shown apart from "wrong name or password".</summary>
public enum SignInFailure
{
    UnknownUser,
    WrongPassword,
    LockedOut,
    Disabled,
}

/// <summary>The user who signed in, or why nobody did (and, for a lockout, until when).</summary>
public sealed record SignInOutcome(User? User, SignInFailure? Failure, DateTime? LockedUntil = null);

/// <summary>A request the accounts refuse (a taken name, a short password, removing the last admin); the message says what to do.</summary>
public sealed class AccountException(string message) : Exception(message);

/// <summary>
/// People and their roles, passwords, sessions and sign-in: the one place the admin page, the account page, the
/// sign-in endpoint and <c>Crl.Jobs users</c> change a user. Every change that should end a user's sessions (a new
/// password, a new role, disabling) gives them a new security stamp, which the cookie handler compares on every request.
/// </summary>
public sealed partial class UserAccounts(
    IDbContextFactory<ExperimentDb> dbFactory,
    IPasswordHasher<User> hasher,
    IOptions<CrlOptions> options,
    TimeProvider clock)
{
    public const int MaxNameLength = 64;
    public const int MaxPasswordLength = 1024;

    // Hashed once with the real hasher's cost, so a name nobody has takes as long to refuse as a wrong password
    // (otherwise the time of a refusal tells which names exist).
    private readonly Lazy<string> unknownUserHash = new(() => hasher.HashPassword(Placeholder, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));
    private static readonly User Placeholder = new() { Name = "", PasswordHash = "", SecurityStamp = "" };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]*$")]
    private static partial Regex NamePattern();

    public static string NewSecurityStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>16 random characters from an alphabet without look-alikes; for a reset an admin passes on once.</summary>
    public static string NewPassword() => RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);

    public static string? NameProblem(string? name) =>
        string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !NamePattern().IsMatch(name)
            ? $"user name: 1 to {MaxNameLength} characters: letters, digits and . _ @ - (starting with a letter or digit)"
            : null;

    public static string? PasswordProblem(string? password) =>
        password is null || password.Length < AuthOptions.MinPasswordLength || password.Length > MaxPasswordLength
            ? $"password: {AuthOptions.MinPasswordLength} to {MaxPasswordLength} characters"
            : null;

    public async Task<UserInfo> AddAsync(string name, UserRole role, string password, CancellationToken cancellationToken = default)
    {
        if ((NameProblem(name) ?? PasswordProblem(password)) is { } problem) throw new AccountException(problem);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Users.AnyAsync(u => u.Name == name, cancellationToken)) throw new AccountException($"user name: '{name}' is taken");
        var user = new User { Name = name, Role = role, PasswordHash = "", SecurityStamp = NewSecurityStamp(), CreatedAt = Now() };
        user.PasswordHash = hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return Info(user);
    }

    public async Task<IReadOnlyList<UserInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await db.Users.AsNoTracking().OrderBy(u => u.Name).ToListAsync(cancellationToken)).Select(Info).ToList();
    }

    public async Task<UserInfo?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Name == name, cancellationToken) is { } user ? Info(user) : null;
    }

    /// <summary>A new role takes effect at the user's next sign-in: their sessions end now.</summary>
    public Task<UserInfo> SetRoleAsync(string name, UserRole role, CancellationToken cancellationToken = default) =>
        ChangeAsync(name, user =>
        {
            user.Role = role;
            user.SecurityStamp = NewSecurityStamp();
        }, removesAdmin: role != UserRole.Admin, cancellationToken);

    /// <summary>Disabling ends the user's sessions and stops their tokens; re-enabling lets them sign in again.</summary>
    public Task<UserInfo> SetDisabledAsync(string name, bool disabled, CancellationToken cancellationToken = default) =>
        ChangeAsync(name, user =>
        {
            user.IsDisabled = disabled;
            user.SecurityStamp = NewSecurityStamp();
        }, removesAdmin: disabled, cancellationToken);

    /// <summary>Sets a new password (a generated one when <paramref name="password"/> is null), lifts a lockout and ends every session.</summary>
    public async Task<string> ResetPasswordAsync(string name, string? password = null, CancellationToken cancellationToken = default)
    {
        password ??= NewPassword();
        if (PasswordProblem(password) is { } problem) throw new AccountException(problem);
        await ChangeAsync(name, user => SetPassword(user, password), removesAdmin: false, cancellationToken);
        return password;
    }

    /// <summary>The user's own change: the current password must match. Ends every session, this one included.</summary>
    public async Task ChangePasswordAsync(long userId, string current, string password, CancellationToken cancellationToken = default)
    {
        if (PasswordProblem(password) is { } problem) throw new AccountException("new " + problem);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new AccountException("this user no longer exists");
        if (hasher.VerifyHashedPassword(user, user.PasswordHash, current ?? "") == PasswordVerificationResult.Failed)
            throw new AccountException("current password: wrong password");
        SetPassword(user, password);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Removes the user and their tokens; their sweeps stay, and only an admin can change them.</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await FindTrackedAsync(db, name, cancellationToken);
        await RefuseLastAdminAsync(db, user, cancellationToken);
        db.Users.Remove(user);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Sign-out: every cookie the user holds, on any browser, stops working.</summary>
    public async Task EndSessionsAsync(long userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, NewSecurityStamp()), cancellationToken);
    }

    /// <summary>Whether a session carrying <paramref name="stamp"/> still stands: the user exists, is enabled and has not had their stamp changed.</summary>
    public async Task<bool> IsSessionCurrentAsync(long userId, string? stamp, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(stamp)) return false;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AnyAsync(u => u.Id == userId && !u.IsDisabled && u.SecurityStamp == stamp, cancellationToken);
    }

    /// <summary>
    /// Checks a name and password. Every refusal costs one password hash, whether the name exists or not; wrong
    /// passwords count towards <c>Crl:Auth:LockoutFailures</c>, after which the account refuses every password for
    /// <c>Crl:Auth:LockoutDuration</c>.
    /// </summary>
    public async Task<SignInOutcome> SignInAsync(string? name, string? password, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = string.IsNullOrEmpty(name) ? null : await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Name == name, cancellationToken);
        var matches = hasher.VerifyHashedPassword(user ?? Placeholder, user?.PasswordHash ?? unknownUserHash.Value, password ?? "") != PasswordVerificationResult.Failed
                      && !string.IsNullOrEmpty(password);
        if (user is null) return new SignInOutcome(null, SignInFailure.UnknownUser);

        var now = Now();
        if (user.LockedUntil is { } until && until > now) return new SignInOutcome(null, SignInFailure.LockedOut, until);
        if (user.IsDisabled) return new SignInOutcome(null, SignInFailure.Disabled);
        var users = db.Users.Where(u => u.Id == user.Id);
        if (matches)
        {
            if (user.FailedSignIns != 0 || user.LockedUntil is not null)
                await users.ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, 0).SetProperty(u => u.LockedUntil, (DateTime?)null), cancellationToken);
            return new SignInOutcome(user, null);
        }

        // Counted in the database, so attempts racing each other (or several web servers) all count.
        await users.ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, u => u.FailedSignIns + 1), cancellationToken);
        var auth = options.Value.Auth;
        var lockedUntil = now + auth.LockoutDuration;
        var locked = await users.Where(u => u.FailedSignIns >= auth.LockoutFailures).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.FailedSignIns, 0)
            .SetProperty(u => u.LockedUntil, lockedUntil), cancellationToken);
        return locked == 1 ? new SignInOutcome(null, SignInFailure.LockedOut, lockedUntil) : new SignInOutcome(null, SignInFailure.WrongPassword);
    }

    private void SetPassword(User user, string password)
    {
        user.PasswordHash = hasher.HashPassword(user, password);
        user.SecurityStamp = NewSecurityStamp();
        user.FailedSignIns = 0;
        user.LockedUntil = null;
    }

    private async Task<UserInfo> ChangeAsync(string name, Action<User> change, bool removesAdmin, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await FindTrackedAsync(db, name, cancellationToken);
        if (removesAdmin) await RefuseLastAdminAsync(db, user, cancellationToken);
        change(user);
        await db.SaveChangesAsync(cancellationToken);
        return Info(user);
    }

    private static async Task<User> FindTrackedAsync(ExperimentDb db, string name, CancellationToken cancellationToken) =>
        await db.Users.SingleOrDefaultAsync(u => u.Name == name, cancellationToken) ?? throw new AccountException($"user name: no user is called '{name}'");

    // Someone must always be able to manage users from the dashboard.
    private static async Task RefuseLastAdminAsync(ExperimentDb db, User user, CancellationToken cancellationToken)
    {
        if (user.Role != UserRole.Admin || user.IsDisabled) return;
        if (!await db.Users.AnyAsync(u => u.Id != user.Id && u.Role == UserRole.Admin && !u.IsDisabled, cancellationToken))
            throw new AccountException($"'{user.Name}' is the last enabled admin: make another user admin first");
    }

    private static UserInfo Info(User u) => new(u.Id, u.Name, u.Role, u.IsDisabled, u.LockedUntil, u.CreatedAt);

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}

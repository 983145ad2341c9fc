using System.Security.Cryptography;
using System.Text;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Microsoft.EntityFrameworkCore;

namespace Crl.Jobs.Accounts;

/// <summary>A token as its owner sees it in the list: never the secret.</summary>
public sealed record ApiTokenInfo(long Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt);

/// <summary>A token just created: <see cref="Secret"/> is shown once and not kept.</summary>
public sealed record CreatedApiToken(ApiTokenInfo Info, string Secret);

/// <summary>
/// Personal API tokens: created and revoked by their owner on the account page (or by <c>Crl.Jobs users token</c>),
/// presented by scripts as Bearer tokens. Tokens are 256 random bits, so one SHA-256 is enough to store them (a slow password hash would only slow
/// every API call).
/// </summary>
public sealed class ApiTokens(IDbContextFactory<ExperimentDb> dbFactory, TimeProvider clock)
{
    public const string SecretPrefix = "crl_";
    public const int MaxNameLength = 100;

    /// <summary>Writing "last used" on every request would make each API read a write; once a minute tells enough.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<CreatedApiToken> CreateAsync(long userId, string name, CancellationToken cancellationToken = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > MaxNameLength)
            throw new ArgumentException($"name: give the token a name of 1 to {MaxNameLength} characters", nameof(name));
        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new ApiToken
        {
            UserId = userId,
            Name = name,
            Hash = Hash(secret),
            Prefix = secret[..(SecretPrefix.Length + 6)],
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiToken(Info(token), secret);
    }

    public async Task<IReadOnlyList<ApiTokenInfo>> ListAsync(long userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.Id).ToListAsync(cancellationToken);
        return tokens.Select(Info).ToList();
    }

    /// <summary>Deletes one of the user's tokens; false when it is not theirs or already gone.</summary>
    public async Task<bool> RevokeAsync(long userId, long tokenId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.Where(t => t.Id == tokenId && t.UserId == userId).ExecuteDeleteAsync(cancellationToken) == 1;
    }

    /// <summary>The user a presented token belongs to, or null; a disabled user's tokens are refused.</summary>
    public async Task<User?> AuthenticateAsync(string presented, CancellationToken cancellationToken = default)
    {
        if (!presented.StartsWith(SecretPrefix, StringComparison.Ordinal)) return null;
        var hash = Hash(presented);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.ApiTokens.Where(t => t.Hash == hash)
            .Join(db.Users.Where(u => !u.IsDisabled), t => t.UserId, u => u.Id, (t, u) => new { Token = t, User = u })
            .AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (found is null) return null;

        var now = clock.GetUtcNow().UtcDateTime;
        if (found.Token.LastUsedAt is not { } last || now - last >= LastUsedResolution)
            await db.ApiTokens.Where(t => t.Id == found.Token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        return found.User;
    }

    private static ApiTokenInfo Info(ApiToken t) => new(t.Id, t.Name, t.Prefix, t.CreatedAt, t.LastUsedAt);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

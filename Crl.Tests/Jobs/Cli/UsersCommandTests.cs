using System.Text.Json;
using Crl.Benchmarks.Harness;
using Crl.Jobs.Accounts;
using Crl.Jobs.Cli;
using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Tests.Core.Training;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Xunit;

namespace Crl.Tests.Jobs.Cli;

/// <summary>
/// <c>Crl.Jobs users ...</c> on a data directory, as an operator sets up a lab server from a shell; the accounts it
/// leaves are checked the way the web server checks them. Serial: the verbs use the process-wide console.
/// </summary>
[Collection(TrainerCollection.Name)]
public sealed class UsersCommandTests : IDisposable
{
    private readonly TempDirectory temp = new("crl-users-cli");

    private string DataSetting => $"--Crl:DataDirectory={temp.Combine("data")}";

    private async Task<(int Code, string Out, string Error)> Run(string? stdin, params string[] args)
    {
        var oldIn = Console.In;
        Console.SetIn(new StringReader(stdin ?? ""));
        try
        {
            return await CliTests.Run([.. args, DataSetting]);
        }
        finally
        {
            Console.SetIn(oldIn);
        }
    }

    /// <summary>The same accounts service the web server signs people in with, on the same database.</summary>
    private (UserAccounts Accounts, ApiTokens Tokens) Server()
    {
        var factory = new PooledDbContextFactory<ExperimentDb>(new DbContextOptionsBuilder<ExperimentDb>().UseSqlite($"Data Source={temp.Combine("data", "crl.db")}").Options);
        return (new UserAccounts(factory, new PasswordHasher<User>(), Options.Create(new CrlOptions()), TimeProvider.System), new ApiTokens(factory, TimeProvider.System));
    }

    [Fact]
    public async Task Users_are_added_listed_changed_and_removed_and_the_server_honours_each_change()
    {
        var (code, output, _) = await Run("member password\n", "users", "add", "ann", "--role", "member", "--password-stdin");
        Assert.Equal(0, code);
        Assert.Contains("added ann (member)", output);
        Assert.DoesNotContain("member password", output);
        var (accounts, tokens) = Server();
        Assert.Equal("ann", (await accounts.SignInAsync("ann", "member password")).User?.Name);

        (code, output, _) = await Run(null, "users", "add", "bob", "--role", "viewer");
        Assert.Equal(0, code);
        var generated = output.Split('\n').Single(l => l.StartsWith("password: "))["password: ".Length..].Trim();
        Assert.Equal(UserRole.Viewer, (await accounts.SignInAsync("bob", generated)).User?.Role);

        (code, output, _) = await Run(null, "users", "list", "--json");
        Assert.Equal(0, code);
        var listed = JsonDocument.Parse(output).RootElement.EnumerateArray().ToDictionary(u => u.GetProperty("name").GetString()!, u => u.GetProperty("role").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["ann"] = "member", ["bob"] = "viewer" }, listed);

        Assert.Equal(0, (await Run(null, "users", "set-role", "bob", "admin")).Code);
        Assert.Equal(UserRole.Admin, (await accounts.FindAsync("bob"))!.Role);

        (code, output, _) = await Run(null, "users", "token", "ann", "--label", "cluster");
        Assert.Equal(0, code);
        var secret = output.Trim();
        Assert.Equal("ann", (await tokens.AuthenticateAsync(secret))?.Name);
        Assert.Equal("cluster", Assert.Single(await tokens.ListAsync((await accounts.FindAsync("ann"))!.Id)).Name);

        Assert.Equal(0, (await Run(null, "users", "disable", "ann")).Code);
        Assert.Equal(SignInFailure.Disabled, (await accounts.SignInAsync("ann", "member password")).Failure);
        Assert.Null(await tokens.AuthenticateAsync(secret));
        Assert.Equal(0, (await Run(null, "users", "enable", "ann")).Code);
        Assert.NotNull((await accounts.SignInAsync("ann", "member password")).User);

        Assert.Equal(0, (await Run("another password\n", "users", "reset-password", "ann", "--password-stdin")).Code);
        Assert.Equal(SignInFailure.WrongPassword, (await accounts.SignInAsync("ann", "member password")).Failure);
        Assert.NotNull((await accounts.SignInAsync("ann", "another password")).User);

        Assert.Equal(0, (await Run(null, "users", "delete", "ann")).Code);
        Assert.Null(await accounts.FindAsync("ann"));
        Assert.Null(await tokens.AuthenticateAsync(secret));
    }

    [Fact]
    public async Task Refusals_name_the_problem_and_change_nothing()
    {
        Assert.Equal(0, (await Run("admin password\n", "users", "add", "root", "--role", "admin", "--password-stdin")).Code);

        var (code, _, error) = await Run("short\n", "users", "add", "eve", "--role", "member", "--password-stdin");
        Assert.Equal(1, code);
        Assert.Contains("password: 8 to 1024 characters", error);

        (code, _, error) = await Run("long enough\n", "users", "add", "root", "--role", "member", "--password-stdin");
        Assert.Equal(1, code);
        Assert.Contains("'root' is taken", error);

        (code, _, error) = await Run(null, "users", "add", "eve", "--role", "owner");
        Assert.NotEqual(0, code);
        Assert.Contains("--role must be one of viewer, member, admin; got 'owner'", error);

        (code, _, error) = await Run(null, "users", "set-role", "root", "viewer");
        Assert.Equal(1, code);
        Assert.Contains("'root' is the last enabled admin", error);

        (code, _, error) = await Run(null, "users", "disable", "nobody");
        Assert.Equal(1, code);
        Assert.Contains("no user is called 'nobody'", error);

        var (accounts, _) = Server();
        var only = Assert.Single(await accounts.ListAsync());
        Assert.Equal(("root", UserRole.Admin, false), (only.Name, only.Role, only.IsDisabled));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        temp.Dispose();
    }
}

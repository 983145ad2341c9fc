using System.CommandLine;
using System.Text.Json;
using Crl.Jobs.Accounts;
using Crl.Jobs.Configuration;
using Crl.Jobs.Hosting;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Cli;

/// <summary>
/// <c>users ...</c>: the admin page's user management for headless set-up. It works on the storage the configuration
/// names, whether a server is running on it or not: a running server sees each change on its next request.
/// </summary>
public static class UsersCommand
{
    private const int Refused = 1;

    public static Command Create()
    {
        var users = new Command("users", "Add, list and change the people who sign in; any setting may follow as --Crl:Key=value");

        var name = NameArgument();
        var role = RoleOption(required: true);
        var passwordStdin = PasswordStdinOption();
        users.Subcommands.Add(Verb(new Command("add", "Create a user (the password comes from standard input, or is generated and printed)") { name, role, passwordStdin },
            async (parse, accounts, ct) =>
            {
                var password = parse.GetValue(passwordStdin) ? ReadPassword() : UserAccounts.NewPassword();
                var added = await accounts.AddAsync(parse.GetValue(name)!, parse.GetValue(role), password, ct);
                Console.WriteLine($"added {added.Name} ({added.Role.Name()})");
                if (!parse.GetValue(passwordStdin)) Console.WriteLine($"password: {password}");
            }));

        var json = new Option<bool>("--json") { Description = "Print an array of {name, role, disabled, lockedUntil, createdAt}" };
        users.Subcommands.Add(Verb(new Command("list", "List users with their role and state") { json }, async (parse, accounts, ct) =>
        {
            var all = await accounts.ListAsync(ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(all.Select(u => new
                {
                    name = u.Name,
                    role = u.Role.Name(),
                    disabled = u.IsDisabled,
                    lockedUntil = u.LockedUntil is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : (DateTime?)null,
                    createdAt = DateTime.SpecifyKind(u.CreatedAt, DateTimeKind.Utc),
                })));
                return;
            }
            Console.WriteLine($"{"name",-24} {"role",-7} state");
            foreach (var u in all)
                Console.WriteLine($"{u.Name,-24} {u.Role.Name(),-7} {(u.IsDisabled ? "disabled" : u.LockedUntil > DateTime.UtcNow ? $"locked until {u.LockedUntil:u}" : "active")}");
        }));

        var roleName = NameArgument();
        var newRole = new Argument<string>("ROLE") { Description = $"One of {UserRoles.Names}" };
        users.Subcommands.Add(Verb(new Command("set-role", "Change a user's role; their sessions end") { roleName, newRole }, async (parse, accounts, ct) =>
        {
            if (!UserRoles.TryParse(parse.GetValue(newRole), out var parsed))
                throw new AccountException($"role: one of {UserRoles.Names}; got '{parse.GetValue(newRole)}'");
            var changed = await accounts.SetRoleAsync(parse.GetValue(roleName)!, parsed, ct);
            Console.WriteLine($"{changed.Name} is now {changed.Role.Name()}");
        }));

        foreach (var (verb, disable) in new[] { ("disable", true), ("enable", false) })
        {
            var target = NameArgument();
            users.Subcommands.Add(Verb(new Command(verb, disable ? "Stop a user signing in; their sessions and tokens stop at once" : "Let a disabled user sign in again") { target },
                async (parse, accounts, ct) =>
                {
                    var changed = await accounts.SetDisabledAsync(parse.GetValue(target)!, disable, ct);
                    Console.WriteLine($"{changed.Name} is {(changed.IsDisabled ? "disabled" : "enabled")}");
                }));
        }

        var deleted = NameArgument();
        users.Subcommands.Add(Verb(new Command("delete", "Remove a user and their tokens (their sweeps stay)") { deleted }, async (parse, accounts, ct) =>
        {
            await accounts.DeleteAsync(parse.GetValue(deleted)!, ct);
            Console.WriteLine($"deleted {parse.GetValue(deleted)}");
        }));

        var resetName = NameArgument();
        var resetStdin = PasswordStdinOption();
        users.Subcommands.Add(Verb(new Command("reset-password", "Set a new password (from standard input, or generated and printed); sessions end, a lockout lifts") { resetName, resetStdin },
            async (parse, accounts, ct) =>
            {
                var password = await accounts.ResetPasswordAsync(parse.GetValue(resetName)!, parse.GetValue(resetStdin) ? ReadPassword() : null, ct);
                Console.WriteLine($"password of {parse.GetValue(resetName)} reset");
                if (!parse.GetValue(resetStdin)) Console.WriteLine($"password: {password}");
            }));

        var tokenName = NameArgument();
        var label = new Option<string>("--label") { Description = "What the token is for (shown on the account page)", DefaultValueFactory = _ => "cli" };
        users.Subcommands.Add(Verb(new Command("token", "Create a personal API token for the user and print it (it is not shown again)") { tokenName, label },
            async (parse, accounts, ct, services) =>
            {
                var user = await accounts.FindAsync(parse.GetValue(tokenName)!, ct) ?? throw new AccountException($"user name: no user is called '{parse.GetValue(tokenName)}'");
                try
                {
                    var created = await services.GetRequiredService<ApiTokens>().CreateAsync(user.Id, parse.GetValue(label)!, ct);
                    Console.WriteLine(created.Secret);
                }
                catch (ArgumentException e)
                {
                    throw new AccountException(e.Message.Split(" (Parameter")[0]);
                }
            }));
        return users;
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "The user name" };

    private static Option<UserRole> RoleOption(bool required) => new("--role")
    {
        Description = $"One of {UserRoles.Names}",
        Required = required,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (UserRoles.TryParse(text, out var role)) return role;
            result.AddError($"--role must be one of {UserRoles.Names}; got '{text}'");
            return default;
        },
    };

    private static Option<bool> PasswordStdinOption() => new("--password-stdin") { Description = "Read the password from the first line of standard input" };

    // One line, so `echo "$PASSWORD" | Crl.Jobs users add ...` works; a password never goes on the command line, where `ps` shows it.
    private static string ReadPassword() => Console.In.ReadLine()?.TrimEnd('\r', '\n') ?? "";

    private static Command Verb(Command command, Func<ParseResult, UserAccounts, CancellationToken, Task> run) =>
        Verb(command, (parse, accounts, ct, _) => run(parse, accounts, ct));

    private static Command Verb(Command command, Func<ParseResult, UserAccounts, CancellationToken, IServiceProvider, Task> run)
    {
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellation) =>
        {
            var settings = parse.UnmatchedTokens.ToArray();
            if (SettingArguments.FirstStray(settings) is { } stray)
            {
                await Console.Error.WriteLineAsync($"Unrecognized argument '{stray}': settings go as --{CrlOptions.Section}:DataDirectory=/srv/crl");
                return StartupFailure.ConfigurationErrorExitCode;
            }
            var code = 0;
            var guarded = await StartupFailure.GuardAsync(async () =>
            {
                var builder = CrlHost.CreateBuilder(commandLine: settings);
                // Standard output is the verb's answer (JSON for scripts); failures reach the user as exceptions.
                builder.Logging.ClearProviders();
                builder.Services.AddCrlAccounts();
                using var host = builder.Build();
                _ = host.Services.GetRequiredService<IOptions<CrlOptions>>().Value;
                await ActivatorUtilities.CreateInstance<DatabaseMigrator>(host.Services).StartAsync(cancellation);
                try
                {
                    await run(parse, host.Services.GetRequiredService<UserAccounts>(), cancellation, host.Services);
                }
                catch (AccountException e)
                {
                    await Console.Error.WriteLineAsync($"error: {e.Message}");
                    code = Refused;
                }
            });
            return guarded != 0 ? guarded : code;
        });
        return command;
    }
}

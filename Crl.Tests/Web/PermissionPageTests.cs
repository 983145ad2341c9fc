using System.Security.Claims;
using Bunit;
using Crl.Jobs.Accounts;
using Crl.Jobs.Configuration;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Crl.Web.Components.Pages;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>The pages offer only what the signed-in role may do: a forbidden action is a disabled button with the reason next to it.</summary>
public class PermissionPageTests : PageTestBase
{
    private long ownerId;
    private Sweep sweep = null!;

    protected override async Task SeedAsync()
    {
        var accounts = new UserAccounts(DbFactory, new PasswordHasher<User>(), Options.Create(new CrlOptions()), TimeProvider.System);
        Context.Services.AddSingleton(accounts);
        ownerId = (await accounts.AddAsync("mo", UserRole.Member, "password of mo")).Id;
        sweep = await new RunQueue(DbFactory, TimeProvider.System, Options.Create(new CrlOptions())).LaunchAsync(QuickSweep.Request(), ownerId);
    }

    private void SignIn(string name, UserRole role, long id) =>
        Auth.SetAuthorized(name).SetRoles(role.Name()).SetClaims(new Claim(ClaimTypes.NameIdentifier, id.ToString()));

    [Fact]
    public void Another_member_sees_the_sweep_buttons_disabled_with_the_role_needed_and_the_owner_sees_them_enabled()
    {
        SignIn("otto", UserRole.Member, ownerId + 1);
        var page = Context.Render<SweepPage>(p => p.Add(x => x.Id, sweep.Id));
        page.WaitForElement("[data-testid=cancel-sweep]");

        Assert.True(page.Find("[data-testid=cancel-sweep]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid=fill-sweep]").HasAttribute("disabled"));
        Assert.Equal($"Changing sweep {sweep.Id} needs the admin role: it belongs to mo, and members change only their own sweeps",
            page.Find("[data-testid=forbidden-reason]").TextContent.Trim());

        SignIn("mo", UserRole.Member, ownerId);
        var own = Context.Render<SweepPage>(p => p.Add(x => x.Id, sweep.Id));
        own.WaitForElement("[data-testid=cancel-sweep]");
        Assert.False(own.Find("[data-testid=cancel-sweep]").HasAttribute("disabled"));
        Assert.Empty(own.FindAll("[data-testid=forbidden-reason]"));
    }

    [Fact]
    public void A_viewer_cannot_launch_and_is_told_why()
    {
        SignIn("vera", UserRole.Viewer, ownerId + 2);
        var page = Context.Render<NewSweep>();
        page.Find("[data-testid=field-name]").Input("viewer's try");

        Assert.True(page.Find("[data-testid=launch-sweep]").HasAttribute("disabled"));
        Assert.Equal("Launching a sweep needs the member or admin role; you are a viewer", page.Find("[data-testid=forbidden-reason]").TextContent.Trim());

        var runs = Context.Render<Runs>();
        Assert.True(runs.Find("[data-testid=queue-quick-run]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task The_users_page_adds_a_user_with_a_password_shown_once_that_signs_in()
    {
        var page = Context.Render<AdminUsers>();
        page.Find("input[data-testid=new-user-name]").Input("nia");
        page.Find("[data-testid=add-user]").Click();

        var password = page.WaitForElement("[data-testid=temporary-password-value]").TextContent;
        var accounts = Context.Services.GetRequiredService<UserAccounts>();
        Assert.Equal(UserRole.Member, (await accounts.SignInAsync("nia", password)).User?.Role);
        page.WaitForAssertion(() => Assert.Contains("nia", page.Find("[data-testid=users]").TextContent));

        page.Find("[data-testid=toggle-nia]").Click();
        page.WaitForAssertion(() => Assert.Equal("disabled", page.Find("[data-testid=state-nia]").TextContent.Trim()));
        Assert.Equal(SignInFailure.Disabled, (await accounts.SignInAsync("nia", password)).Failure);
    }
}

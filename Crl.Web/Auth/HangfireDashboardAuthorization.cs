using Hangfire.Dashboard;

namespace Crl.Web.Auth;

/// <summary>Hangfire's default lets only local requests in; we let in whoever signed in to the dashboard.</summary>
public sealed class HangfireDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.Identity?.IsAuthenticated == true;
}

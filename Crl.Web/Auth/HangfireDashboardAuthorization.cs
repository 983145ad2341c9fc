using Hangfire.Dashboard;

namespace Crl.Web.Auth;

/// <summary>
/// The job queue can delete and re-run any job, so only admins reach it. Hangfire answers 401 to nobody and 403 to
/// a signed-in user without the role.
/// </summary>
public sealed class HangfireDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => Permissions.CannotAdminister(context.GetHttpContext().User) is null;
}

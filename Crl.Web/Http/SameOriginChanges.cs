using Crl.Web.Auth;

namespace Crl.Web.Http;

/// <summary>
/// A browser sends the sign-in cookie with requests any site makes, so an API change (POST, PUT, PATCH, DELETE)
/// carried by the cookie must come from this site's own pages: its Origin (or, lacking one, its Referer) must name this
/// host. Scripts send a bearer token, which no other site can attach, and are not checked. Runs after authentication.
/// </summary>
public sealed class SameOriginChanges(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (!request.Path.StartsWithSegments("/api") || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || HttpMethods.IsOptions(request.Method) || http.User.Identity?.IsAuthenticated != true
            || request.Headers.Authorization.ToString().StartsWith(ApiTokenAuthenticationHandler.BearerPrefix, StringComparison.OrdinalIgnoreCase)
            || FromThisSite(request))
        {
            await next(http);
            return;
        }
        await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused",
            detail: "a change made with the sign-in cookie must come from this site's pages (its Origin header must name this host); scripts send an API token instead")
            .ExecuteAsync(http);
    }

    // The host is compared, not the scheme: behind a TLS-terminating proxy the browser's https origin reaches us as http.
    private static bool FromThisSite(HttpRequest request)
    {
        var source = request.Headers.Origin.ToString() is { Length: > 0 } origin ? origin : request.Headers.Referer.ToString();
        return Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}

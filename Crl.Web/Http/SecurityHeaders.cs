namespace Crl.Web.Http;

/// <summary>
/// Headers every response carries, pages, API, static files and errors alike: no content sniffing, no framing by
/// other sites, no referrer sent elsewhere, and a content security policy that lets only this site's own scripts run.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    /// <summary>
    /// Scripts only from this site (Blazor, MudBlazor, Plotly and Hangfire's dashboard are all served from it, none
    /// inline). Styles may be inline because MudBlazor writes style attributes and Plotly adds its own style element;
    /// 'self' in connect-src covers Blazor's WebSocket on the same host. Images may be data: and blob: URLs, which
    /// Plotly's icons and downloads use.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext http)
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            return Task.CompletedTask;
        });
        return next(http);
    }
}

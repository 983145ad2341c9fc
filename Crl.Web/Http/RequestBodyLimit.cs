using Crl.Jobs.Configuration;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Crl.Web.Http;

/// <summary>
/// <c>Crl:Http:MaxRequestBodyBytes</c>: a body declared larger is refused (413) before a byte of it is read; a chunked
/// one is cut off by Kestrel at the same size while it is read, which <see cref="BadRequestHandler"/> answers as 413.
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, IOptions<CrlOptions> options)
{
    public Task InvokeAsync(HttpContext http)
    {
        var max = options.Value.Http.MaxRequestBodyBytes;
        if (http.Request.ContentLength > max)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
                detail: $"the body has {http.Request.ContentLength:N0} bytes; this server takes at most {max:N0} (Crl:Http:MaxRequestBodyBytes)")
                .ExecuteAsync(http);
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = max;
        return next(http);
    }
}

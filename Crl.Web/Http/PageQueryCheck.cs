using System.Globalization;
using System.Net;
using System.Reflection;
using Crl.Core.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;

namespace Crl.Web.Http;

/// <summary>
/// A page address whose query names a page parameter with a value of the wrong kind (<c>/scaling?sweepId=abc</c>)
/// would fail while Blazor renders it; it gets a short page saying which parameter is wrong, with a link to the page
/// without the query, and status 400. The parameters are read from the page's own <c>[SupplyParameterFromQuery]</c>
/// properties, so a new page is covered without a list to keep.
/// </summary>
public sealed class PageQueryCheck(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.Request.QueryString.HasValue && http.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is { } page
            && Problem(page.Type, http.Request.Query) is { } problem)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            http.Response.ContentType = "text/html; charset=utf-8";
            var path = WebUtility.HtmlEncode(http.Request.Path.Value ?? "/");
            await http.Response.WriteAsync(
                $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Malformed address · Crl</title></head>"
                + $"<body style=\"font-family: sans-serif; margin: 3em\"><h1>This address has a malformed query</h1>"
                + $"<p>{WebUtility.HtmlEncode(problem)}.</p><p><a href=\"{path}\">Open {path} without it</a></p></body></html>");
            return;
        }
        await next(http);
    }

    private static string? Problem(Type page, IQueryCollection query)
    {
        foreach (var property in page.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<SupplyParameterFromQueryAttribute>() is not { } attribute) continue;
            var name = attribute.Name ?? property.Name;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            // Named as the address wrote it: Blazor matches query keys ignoring case.
            var (key, values) = query.FirstOrDefault(q => string.Equals(q.Key, name, StringComparison.OrdinalIgnoreCase));
            foreach (var value in values)
            {
                if (string.IsNullOrEmpty(value) || Reads(type, value)) continue;
                return $"{key} must be {Kind(type)}; got {Echo.Quoted(value)}";
            }
        }
        return null;
    }

    // The types Blazor reads from a query string, parsed as it parses them (invariant culture).
    private static bool Reads(Type type, string value) => type switch
    {
        _ when type == typeof(long) => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(int) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(bool) => bool.TryParse(value, out _),
        _ when type == typeof(double) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        _ when type == typeof(Guid) => Guid.TryParse(value, out _),
        _ when type == typeof(DateTime) => DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        _ => true,
    };

    private static string Kind(Type type) => type switch
    {
        _ when type == typeof(long) || type == typeof(int) => "a whole number",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(double) => "a number",
        _ => $"a {type.Name}",
    };
}

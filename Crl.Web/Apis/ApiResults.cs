using System.Globalization;
using System.Text.Json;
using Crl.Web.Auth;
using Crl.Web.Queries;

namespace Crl.Web.Apis;

/// <summary>Problem-details answers shared by the API's endpoints.</summary>
public static class ApiResults
{
    /// <summary>The most rows one list request returns.</summary>
    public const int MaxPageSize = 1000;

    public static IResult NotFound(string what, long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"{what} {id} does not exist");

    /// <summary>A change the caller's role does not allow; <paramref name="reason"/> names the role it needs.</summary>
    public static IResult Forbidden(string reason) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: reason);

    /// <summary>Launching needs the member or admin role; checked before the body is read.</summary>
    public static RouteHandlerBuilder RequiresLaunch(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(async (context, next) =>
            Permissions.CannotLaunch(context.HttpContext.User) is { } reason ? Forbidden(reason) : await next(context));

    /// <summary>
    /// A change to the resource the route's <c>{id}</c> names: an admin may change anyone's, a member only their
    /// own. Runs after <see cref="ForExisting{TQuery}"/>, so the resource exists.
    /// </summary>
    public static RouteHandlerBuilder ChangedByOwner(this RouteHandlerBuilder endpoint, string what, Func<SweepsQuery, long, CancellationToken, Task<Owner?>> ownerOf) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var id = Convert.ToInt64(http.GetRouteValue("id"), CultureInfo.InvariantCulture);
            var owner = await ownerOf(http.RequestServices.GetRequiredService<SweepsQuery>(), id, http.RequestAborted);
            if (owner is null) return NotFound(what, id);
            return Permissions.CannotChange(http.User, owner, $"{what} {id}") is { } reason ? Forbidden(reason) : await next(context);
        });

    /// <summary>A 400 naming one field and what is wrong with it.</summary>
    public static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>A body that is not the JSON the endpoint takes: name the field the parser stopped at.</summary>
    public static IResult BadJson(JsonException e) =>
        Invalid(string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.'), $"not valid JSON for this field: {e.Message}");

    /// <summary>
    /// An enum parameter given as a number the enum does not define (<c>axis=99</c>): ASP.NET reads numbers into
    /// enums unchecked, so each endpoint asks this before using one.
    /// </summary>
    public static IResult? BadEnum<T>(string parameter, T? value) where T : struct, Enum =>
        value is { } v && !Enum.IsDefined(v)
            ? Invalid(parameter, $"{parameter} must be one of {string.Join(", ", Enum.GetNames<T>())}; got {v}")
            : null;

    /// <summary>A body that is not JSON (a form, XML, plain text): 415 naming the type the endpoint takes.</summary>
    public static IResult? NotJson(HttpRequest request) =>
        request.HasJsonContentType() ? null : TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
            detail: $"the body must be JSON (Content-Type: application/json); got {Crl.Core.Training.Echo.Quoted(request.ContentType ?? "no Content-Type")}");

    /// <summary>A sweep that was not queued: 400 listing every field, or every limit of <c>Crl:Limits</c> it is over.</summary>
    public static IResult Rejected(Crl.Jobs.Sweeps.SweepRejected rejected) => rejected is Crl.Jobs.Sweeps.SweepOverLimits over
        ? TypedResults.ValidationProblem(rejected.Errors.ToDictionary(),
            title: "The sweep is over this server's limits; an administrator can raise them in Crl:Limits",
            extensions: new Dictionary<string, object?> { ["limits"] = over.Exceeded.Select(e => new { limit = e.Limit, allowed = e.Allowed, sweep = e.Requested }).ToList() })
        : TypedResults.ValidationProblem(rejected.Errors.ToDictionary(), title: "The sweep was not queued: fix these fields");

    /// <summary>A change the resource's state does not allow now (deleting a sweep that still trains).</summary>
    public static IResult Conflict(string reason) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: reason);

    /// <summary>A retry or fill: the ids queued, or 400 naming the <c>Crl:Limits</c> they would put the owner over.</summary>
    public static async Task<IResult> QueuedAsync(Func<Task<IReadOnlyList<long>>> requeue)
    {
        try
        {
            return TypedResults.Ok(new { queued = await requeue() });
        }
        catch (Crl.Jobs.Sweeps.SweepOverLimits over)
        {
            return Rejected(over);
        }
    }

    /// <summary>A CSV download; rendered in memory first because CsvHelper writes synchronously.</summary>
    public static IResult Csv(StringWriter csv, string fileName) =>
        TypedResults.File(System.Text.Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", fileName);

    /// <summary>Bounds a page request: skip ≥ 0, 1 ≤ take ≤ <see cref="MaxPageSize"/>.</summary>
    public static IResult? BadPage(int skip, int take)
    {
        const int max = MaxPageSize;
        var errors = new Dictionary<string, string[]>();
        if (skip < 0) errors["skip"] = [$"skip must be ≥ 0; got {skip}"];
        if (take < 1 || take > max) errors["take"] = [$"take must be in [1, {max}]; got {take}"];
        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors);
    }

    /// <summary>
    /// Answers 404 naming the resource, before any endpoint of <paramref name="group"/> runs, when the route's
    /// <c>{id}</c> names no row: every endpoint under a resource's id needs the check, so it is written here once.
    /// </summary>
    public static RouteGroupBuilder ForExisting<TQuery>(this RouteGroupBuilder group, string what, Func<TQuery, long, CancellationToken, Task<bool>> exists)
        where TQuery : notnull =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var id = Convert.ToInt64(http.GetRouteValue("id"), CultureInfo.InvariantCulture);
            return await exists(http.RequestServices.GetRequiredService<TQuery>(), id, http.RequestAborted) ? await next(context) : NotFound(what, id);
        });
}

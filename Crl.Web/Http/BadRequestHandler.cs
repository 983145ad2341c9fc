using System.Reflection;
using System.Text.RegularExpressions;
using Crl.Core.Training;
using Microsoft.AspNetCore.Diagnostics;

namespace Crl.Web.Http;

/// <summary>
/// A request the server cannot read (a query value that is not the parameter's type, a body over the size limit, a
/// body that is not JSON) answers its own 4xx as problem details naming the parameter, instead of a bare 400 or a
/// 500. Minimal APIs throw these because <c>RouteHandlerOptions.ThrowOnBadRequest</c> is on; Kestrel throws them itself.
/// </summary>
public sealed partial class BadRequestHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || http.Response.HasStarted) return false;
        var result = Describe(http, bad);
        http.Response.StatusCode = bad.StatusCode;
        await result.ExecuteAsync(http);
        return true;
    }

    private static IResult Describe(HttpContext http, BadHttpRequestException bad)
    {
        if (FailedToBind().Match(bad.Message) is { Success: true } binding)
        {
            var name = binding.Groups["name"].Value;
            var expected = Expected(http, name, binding.Groups["type"].Value);
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [name] = [$"{name} must be {expected}; got {Echo.Quoted(binding.Groups["value"].Value)}"] },
                title: "A parameter could not be read");
        }
        if (NotProvided().Match(bad.Message) is { Success: true } missing)
        {
            var name = missing.Groups["name"].Value;
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [name] = [$"{name} is required"] }, title: "A parameter is missing");
        }
        // The rest (413, 415, an unreadable body) name no parameter; the message may quote the client's own header.
        return TypedResults.Problem(statusCode: bad.StatusCode, detail: Echo.Clipped(bad.Message.Length > 300 ? bad.Message[..300] : bad.Message));
    }

    /// <summary>What the endpoint's parameter takes, from its declaration: an enum's names, or its number kind.</summary>
    private static string Expected(HttpContext http, string name, string typeName)
    {
        // The exception handler has already cleared the request's endpoint; its feature keeps the one that failed.
        var endpoint = http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint();
        var parameter = endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name);
        var type = parameter is null ? null : Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        return type switch
        {
            { IsEnum: true } => $"one of {string.Join(", ", Enum.GetNames(type))}",
            _ when type == typeof(int) => $"a whole number in [{int.MinValue}, {int.MaxValue}]",
            _ when type == typeof(long) => $"a whole number in [{long.MinValue}, {long.MaxValue}]",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(double) => "a number",
            _ => $"a {typeName.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('?', '>')}",
        };
    }

    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>[^ "]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("""^Required parameter "(?<type>.+) (?<name>[^ "]+)" was not provided""", RegexOptions.Singleline)]
    private static partial Regex NotProvided();
}

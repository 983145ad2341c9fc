using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>
/// What a client that sends the wrong thing sees: 415 for a body that is not JSON, 413 for one too large, 400 naming
/// the parameter for anything unreadable or out of range, never a 5xx and never an echo of a huge value; changes made
/// with the sign-in cookie only from this site; security headers on every response; an owner-only data directory.
/// </summary>
[Collection(DashboardCollection.Name)]
public class HttpHygieneTests
{
    private static readonly Dictionary<string, string?> NoWorker = new() { ["Crl:Workers:InProcess"] = "false" };

    [Fact]
    public async Task A_body_that_is_not_json_is_415_one_over_the_size_limit_is_413_and_nothing_is_stored()
    {
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?>(NoWorker) { ["Crl:Http:MaxRequestBodyBytes"] = "65536" });
        using var api = new ApiClient(dashboard);

        foreach (var (body, type) in new[] { ("name=x", "application/x-www-form-urlencoded"), ("<sweep name=\"x\"/>", "application/xml"), ("{\"name\": \"x\"}", "text/plain") })
        {
            var response = await api.Http.PostAsync("/api/sweeps", new StringContent(body, Encoding.UTF8, type));
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            Assert.Contains("must be JSON", (await ProblemAsync(response)).GetProperty("detail").GetString());
        }

        var declared = await api.Http.PostAsync("/api/sweeps", new StringContent(new string(' ', 100_000) + "{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Contains("Crl:Http:MaxRequestBodyBytes", (await ProblemAsync(declared)).GetProperty("detail").GetString());

        // Without a Content-Length the body is cut off while it is read, at the same size.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"name\": \"" + new string('x', 100_000) + "\"}")));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var streamed = await api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);

        Assert.Equal(0, (await api.GetJsonAsync("/api/runs")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Unreadable_and_out_of_range_parameters_are_400s_naming_the_parameter_without_echoing_long_values()
    {
        await using var dashboard = await RunningDashboard.StartAsync(NoWorker);
        using var api = new ApiClient(dashboard);

        foreach (var (path, parameter, message) in new[]
        {
            ("/api/runs?take=abc", "take", "take must be a whole number in [-2147483648, 2147483647]; got 'abc'"),
            ("/api/runs?sweepId=1.5", "sweepId", "sweepId must be a whole number in [-9223372036854775808, 9223372036854775807]; got '1.5'"),
            ("/api/runs?state=Sleeping", "state", "state must be one of Queued, Running, Succeeded, Failed, Cancelled; got 'Sleeping'"),
            ("/api/runs?state=99", "state", "state must be one of Queued, Running, Succeeded, Failed, Cancelled; got 99"),
            ("/api/scaling.csv?axis=99", "axis", null),
            ("/api/scaling.csv?reference=maybe", "reference", "reference must be true or false; got 'maybe'"),
            ("/api/scaling/critical-depths.csv?axis=Width", "axis", "axis must be ActorDepth or CriticDepth; got Width"),
            ("/api/scaling/critical-depths.csv?threshold=-1", "threshold", "threshold must be a finite rise in time at goal ≥ 0; got -1"),
            ("/api/scaling/critical-depths.csv?threshold=NaN", "threshold", null),
            ("/api/sweeps?skip=" + new string('9', 3000), "skip", null),
        })
        {
            var response = await api.Http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path[..Math.Min(60, path.Length)]}: {response.StatusCode}");
            var errors = (await ProblemAsync(response)).GetProperty("errors");
            var said = Assert.Single(errors.GetProperty(parameter).EnumerateArray()).GetString()!;
            if (message is not null) Assert.Equal(message, said);
            Assert.True(said.Length < 300, said);
        }

        // A name with a NUL or an escape character, and a 500 kB environment id, in one body: each named, none echoed whole.
        var (status, problem) = await api.PostJsonAsync("/api/sweeps", new
        {
            name = "depth\u0000\u001b[31m", envs = new[] { new string('m', 500_000) }, depths = new[] { 4 }, widths = new[] { 256 }, batchSizes = new[] { 256 }, seeds = new[] { 1 },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("control characters", problem.GetProperty("errors").GetProperty("name")[0].GetString());
        Assert.Contains("(500,000 characters)", problem.GetProperty("errors").GetProperty("envs[0]")[0].GetString());
        Assert.True(problem.GetRawText().Length < 5_000, $"the answer has {problem.GetRawText().Length} characters");
    }

    [Fact]
    public async Task A_page_given_a_malformed_query_says_which_parameter_is_wrong_instead_of_failing()
    {
        await using var dashboard = await RunningDashboard.StartAsync(NoWorker);
        using var browser = await dashboard.SignedInClientAsync();

        var response = await browser.GetAsync("/scaling?sweepId=abc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.True(page.Contains("sweepId must be a whole number; got &#39;abc&#39;", StringComparison.Ordinal), page);
        Assert.Contains("href=\"/scaling\"", page);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/scaling?sweepId=12")).StatusCode);
    }

    [Fact]
    public async Task A_change_made_with_the_sign_in_cookie_from_another_site_is_refused_and_a_bearer_token_is_not_checked()
    {
        await using var dashboard = await RunningDashboard.StartAsync(NoWorker);
        using var browser = await dashboard.SignedInClientAsync();
        using var api = new ApiClient(dashboard);
        var origin = dashboard.Address.GetLeftPart(UriPartial.Authority);

        async Task<HttpStatusCode> PostAsync(HttpClient client, string? originHeader, string? referer = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps") { Content = JsonContent.Create(QuickSweep.Request()) };
            if (originHeader is not null) request.Headers.Add("Origin", originHeader);
            if (referer is not null) request.Headers.Referrer = new Uri(referer);
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(browser, "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(browser, "null"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(browser, null));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(browser, null, "https://evil.example/page"));
        var cancel = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps/1/cancel");
        cancel.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(cancel)).StatusCode);
        Assert.Equal(0, (await api.GetJsonAsync("/api/runs")).GetProperty("total").GetInt32());

        Assert.Equal(HttpStatusCode.Created, await PostAsync(browser, origin));
        Assert.Equal(HttpStatusCode.Created, await PostAsync(browser, null, $"{origin}/sweeps/new"));
        Assert.Equal(HttpStatusCode.Created, await PostAsync(api.Http, "https://evil.example"));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/runs")).StatusCode); // reading is not a change
        Assert.Equal(3, (await api.GetJsonAsync("/api/runs")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers_and_no_server_header()
    {
        await using var dashboard = await RunningDashboard.StartAsync(NoWorker);
        using var anonymous = dashboard.NewBrowserClient();
        using var browser = await dashboard.SignedInClientAsync();

        foreach (var (client, path) in new[]
        {
            (anonymous, "/healthz"), (anonymous, "/account/login"), (anonymous, "/api/runs"), (anonymous, "/runs"), (anonymous, "/css/crl.css"),
            (browser, "/runs"), (browser, "/api/runs/987654"), (browser, "/hangfire"), (browser, "/no-such-page"), (browser, "/_framework/blazor.web.js"),
        })
        {
            var response = await client.GetAsync(path);
            var headers = response.Headers;
            Assert.True(headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", $"{path}: X-Content-Type-Options");
            Assert.True(headers.TryGetValues("Referrer-Policy", out var referrer) && referrer.Single() == "same-origin", $"{path}: Referrer-Policy");
            Assert.True(headers.TryGetValues("Content-Security-Policy", out var csp), $"{path}: Content-Security-Policy");
            Assert.Contains("frame-ancestors 'none'", csp!.Single());
            Assert.Contains("script-src 'self';", csp!.Single());
            Assert.False(headers.Contains("Server"), $"{path}: Server {string.Join(",", headers.Server)}");
        }
    }

    [Fact]
    public async Task The_data_directory_is_owner_only_and_so_are_its_databases_keys_and_run_files()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var dashboard = await RunningDashboard.StartAsync(NoWorker);
        using (await dashboard.SignedInClientAsync()) { } // the sign-in cookie's key ring is written
        var data = dashboard.DataDirectory;

        // A run's files, written as a worker writes them: a checkpoint folder packed into its zip, the trajectories.
        var files = dashboard.Service<RunFiles>();
        var epoch = Path.Combine(files.CheckpointRoot(1), "epoch-0001");
        Directory.CreateDirectory(epoch);
        await File.WriteAllBytesAsync(Path.Combine(epoch, "actor.safetensors"), new byte[16]);
        CheckpointArchive.Pack(epoch);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        var everything = Directory.EnumerateFileSystemEntries(data, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(Path.Combine(data, "crl.db"), everything);
        Assert.Contains(Path.Combine(data, "hangfire.db"), everything);
        Assert.Contains(everything, e => e.StartsWith(Path.Combine(data, "keys") + "/", StringComparison.Ordinal) && e.EndsWith(".xml", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(files.CheckpointRoot(1), "epoch-0001.zip"), everything);
        foreach (var entry in everything)
        {
            var others = File.GetUnixFileMode(entry) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Assert.True(others == 0, $"{Path.GetRelativePath(data, entry)} is {File.GetUnixFileMode(entry)}");
        }
    }

    /// <summary>
    /// Every API route the app maps and every page with query parameters, each given malformed ids, query values and
    /// bodies: no answer is a 5xx, and nothing is logged as an error.
    /// </summary>
    [Fact]
    public async Task A_battery_of_malformed_requests_against_every_route_gets_no_5xx_and_logs_no_error()
    {
        var log = new LogCapture();
        await using var dashboard = await RunningDashboard.StartAsync(NoWorker, log.AddTo);
        using var api = new ApiClient(dashboard);
        using var browser = await dashboard.SignedInClientAsync();
        var sweep = await dashboard.Service<RunQueue>().LaunchAsync(QuickSweep.Request());
        var endpoints = dashboard.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        string[] ids = ["abc", "-1", "0", "99999999999999999999", "1e3", "%00", sweep.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        string[] values = ["abc", "-1", "99", "", "1e400", "%00%1b", "Queued", new string('x', 2_000), "true", "-99999999999999999999"];
        (string Body, string Type)[] bodies =
        [
            ("", "application/json"), ("{", "application/json"), ("[]", "application/json"), ("null", "application/json"), ("\"x\"", "application/json"),
            (new string('[', 5_000) + new string(']', 5_000), "application/json"), ("{\"name\":\"x\",\"depths\":\"all\",\"seeds\":[1e400]}", "application/json"),
            ("{\"name\":\"x\",\"envs\":[\"point_u_maze\"],\"depths\":[4],\"widths\":[64],\"batchSizes\":[64],\"seeds\":[1],\"numEnvs\":{\"a\":1},\"gamma\":\"NaN\"}", "application/json"),
            ("<x/>", "text/xml"), ("a=b", "application/x-www-form-urlencoded"),
        ];

        var requests = new List<(HttpClient Client, HttpMethod Method, string Path, (string Body, string Type)? Body)>();
        var apiRoutes = endpoints.Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true).ToList();
        Assert.True(apiRoutes.Count >= 15, $"only {apiRoutes.Count} API routes were found");
        foreach (var endpoint in apiRoutes)
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var query = endpoint.Metadata.GetMetadata<MethodInfo>()?.GetParameters()
                .Where(p => p.ParameterType.IsValueType || p.ParameterType == typeof(string))
                .Select(p => p.Name!).Where(n => endpoint.RoutePattern.GetParameter(n) is null).ToList() ?? [];
            foreach (var method in methods)
            foreach (var id in ids)
            {
                var path = string.Join("/", endpoint.RoutePattern.PathSegments.Select(s =>
                    s.IsSimple && s.Parts[0] is Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart ? id : string.Concat(s.Parts.Select(p => p is Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l ? l.Content : id))));
                path = "/" + path;
                foreach (var client in new[] { api.Http, browser })
                {
                    requests.Add((client, new HttpMethod(method), path, null));
                    foreach (var name in query)
                    foreach (var value in values)
                        requests.Add((client, new HttpMethod(method), $"{path}?{name}={Uri.EscapeDataString(value)}", null));
                    if (method != "GET")
                        foreach (var body in bodies) requests.Add((client, new HttpMethod(method), path, body));
                }
            }
        }
        // Pages: each query parameter a page reads, given values of the wrong kind.
        foreach (var endpoint in endpoints.Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null && e.RoutePattern.Parameters.Count == 0))
        {
            var page = endpoint.Metadata.GetMetadata<ComponentTypeMetadata>()!.Type;
            foreach (var property in page.GetProperties().Where(p => p.GetCustomAttribute<SupplyParameterFromQueryAttribute>() is not null))
            foreach (var value in values)
            {
                var name = property.GetCustomAttribute<SupplyParameterFromQueryAttribute>()!.Name ?? property.Name;
                requests.Add((browser, HttpMethod.Get, $"{endpoint.RoutePattern.RawText}?{name}={Uri.EscapeDataString(value)}", null));
            }
        }
        foreach (var path in new[] { "/runs/abc", "/sweeps/-1", "/runs/99999999999999999999", "/compare?runs=1,abc,%00", "/compare?runs=" + new string('9', 3000) })
            requests.Add((browser, HttpMethod.Get, path, null));

        var failures = new List<string>();
        foreach (var (client, method, path, body) in requests)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Add("Origin", dashboard.Address.GetLeftPart(UriPartial.Authority));
            if (body is { } b) request.Content = new StringContent(b.Body, Encoding.UTF8, b.Type);
            var response = await client.SendAsync(request);
            if ((int)response.StatusCode >= 500) failures.Add($"{method} {path[..Math.Min(80, path.Length)]} {Shown(body)}: {(int)response.StatusCode}");
        }
        static string Shown((string Body, string Type)? body) => body is { } x ? $"[{x.Type}: {x.Body[..Math.Min(40, x.Body.Length)]}]" : "";

        Assert.True(failures.Count == 0, $"{failures.Count} of {requests.Count} requests answered 5xx:\n" + string.Join("\n", failures.Take(30)));
        var errors = log.Entries.Where(e => e.Level >= LogLevel.Error || (e.Level >= LogLevel.Warning && e.Exception is not null)).ToList();
        Assert.True(errors.Count == 0, "logged: " + string.Join("\n", errors.Take(10).Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception?.GetType().Name}: {e.Exception?.Message}")));
        Assert.True(requests.Count > 1_000, $"only {requests.Count} requests were sent");
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

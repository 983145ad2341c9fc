using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Crl.Jobs.Accounts;
using Crl.Jobs.Persistence;
using Crl.Jobs.Persistence.Model;
using Crl.Jobs.Runs;
using Crl.Jobs.Sweeps;
using Crl.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>
/// Every route the dashboard maps, asked by every kind of caller. The routes come from the app's own endpoint data
/// source, so a route added without a row here fails the test until someone decides who may use it.
/// </summary>
[Collection(DashboardCollection.Name)]
public class AccessTests
{
    /// <summary>The member "mo" owns the sweep under test; "otto" is another member; the personal token is mo's.</summary>
    public enum Caller { Anonymous, Viewer, MemberOwner, MemberOther, Admin, PersonalToken, AutomationToken }

    /// <summary>Who may use a route.</summary>
    public enum Rule
    {
        /// <summary>Nobody is refused (sign-in, health, static files).</summary>
        Open,
        /// <summary>Anyone signed in.</summary>
        Read,
        /// <summary>Members and admins.</summary>
        Launch,
        /// <summary>The sweep's owner and admins.</summary>
        Change,
        /// <summary>Admins only.</summary>
        Admin,
    }

    private sealed record Row(string Method, string Pattern, Rule Rule, string? Path = null, HttpStatusCode? Allowed = null);

    private const string Password = "password for access tests";

    // Key: "METHOD pattern" as the endpoint data source spells it. Path: the URL asked ({sweep}, {run} filled in).
    private static readonly Row[] Rows =
    [
        new("GET", "/api/sweeps/", Rule.Read, "/api/sweeps"),
        new("POST", "/api/sweeps/", Rule.Launch, "/api/sweeps", HttpStatusCode.Created),
        new("GET", "/api/sweeps/{id:long}", Rule.Read, "/api/sweeps/{sweep}"),
        new("POST", "/api/sweeps/{id:long}/cancel", Rule.Change, "/api/sweeps/{sweep}/cancel"),
        new("POST", "/api/sweeps/{id:long}/retry", Rule.Change, "/api/sweeps/{sweep}/retry"),
        new("POST", "/api/sweeps/{id:long}/fill", Rule.Change, "/api/sweeps/{sweep}/fill"),
        // Each caller is given a fresh sweep of mo's ({own-sweep}), so an allowed delete does not leave the next a 404.
        new("DELETE", "/api/sweeps/{id:long}/", Rule.Change, "/api/sweeps/{own-sweep}"),
        new("GET", "/api/sweeps/{id:long}/results.csv", Rule.Read, "/api/sweeps/{sweep}/results.csv"),
        new("GET", "/api/runs/", Rule.Read, "/api/runs"),
        new("GET", "/api/runs/{id:long}", Rule.Read, "/api/runs/{run}"),
        new("POST", "/api/runs/{id:long}/cancel", Rule.Change, "/api/runs/{run}/cancel"),
        new("POST", "/api/runs/{id:long}/retry", Rule.Change, "/api/runs/{run}/retry"),
        new("GET", "/api/runs/{id:long}/metrics", Rule.Read, "/api/runs/{run}/metrics"),
        new("GET", "/api/runs/{id:long}/metrics.csv", Rule.Read, "/api/runs/{run}/metrics.csv"),
        new("GET", "/api/runs/{id:long}/checkpoints", Rule.Read, "/api/runs/{run}/checkpoints"),
        // The run has no checkpoint yet: allowed callers learn that, refused ones learn nothing.
        new("GET", "/api/runs/{id:long}/checkpoints/{checkpointId:long}", Rule.Read, "/api/runs/{run}/checkpoints/1", HttpStatusCode.NotFound),
        new("GET", "/api/scaling.csv", Rule.Read),
        new("GET", "/api/scaling/critical-depths.csv", Rule.Read),
        new("POST", "/api/sweeps/quick", Rule.Launch, Allowed: HttpStatusCode.Created),
        new("GET", "/api/presets", Rule.Read),
        new("GET", "/api/aggregate", Rule.Read, "/api/aggregate?sweepIds={sweep}"),
        new("GET", "/api/aggregate.csv", Rule.Read, "/api/aggregate.csv?sweepIds={sweep}"),
        new("GET", "/api/runs/{id:long}/log", Rule.Read, "/api/runs/{run}/log"),
        new("POST", "/api/runs/{id:long}/checkpoints/{checkpointId:long}/evaluate", Rule.Launch, "/api/runs/{run}/checkpoints/1/evaluate", HttpStatusCode.NotFound),
        new("*", "/hangfire/{**path}", Rule.Admin, "/hangfire"),
        new("*", "/healthz", Rule.Open),
        new("GET HEAD", "{**path:file}", Rule.Open, "/favicon.svg"),
        // Blazor's redirect helper; without its protected target it answers 400 to whoever may use it.
        new("GET", "/_framework/opaque-redirect", Rule.Read, Allowed: HttpStatusCode.BadRequest),
        new("GET POST", "/", Rule.Read),
        new("GET POST", "/runs", Rule.Read),
        new("GET POST", "/runs/{Id:long}", Rule.Read, "/runs/{run}"),
        new("GET POST", "/sweeps", Rule.Read),
        // Viewers may look at the form; its Launch button is disabled for them and the API refuses them.
        new("GET POST", "/sweeps/new", Rule.Read),
        new("GET POST", "/sweeps/{Id:long}", Rule.Read, "/sweeps/{sweep}"),
        new("GET POST", "/compare", Rule.Read),
        new("GET POST", "/scaling", Rule.Read),
        new("GET POST", "/aggregate", Rule.Read),
        new("GET POST", "/workers", Rule.Read),
        new("GET POST", "/account", Rule.Read),
        new("GET POST", "/account/tokens", Rule.Read),
        new("GET POST", "/admin/users", Rule.Admin),
        new("GET POST", "/account/login", Rule.Open),
        new("GET POST", "/error", Rule.Read),
        new("POST", "/account/login", Rule.Open),
        // Last: signing out ends the caller's sessions (the personal token's sign-out ends mo's, so mo goes first).
        new("POST", "/account/logout", Rule.Read),
    ];

    [Fact]
    public async Task Every_route_answers_each_caller_as_its_role_allows()
    {
        await using var dashboard = await RunningDashboard.StartAsync(new Dictionary<string, string?>
        {
            ["Crl:Workers:InProcess"] = "false",
            ["Crl:Auth:ApiTokenRole"] = null, // the default, member
            ["Crl:Auth:SignInAttempts"] = "1000",
        });
        var accounts = dashboard.Service<UserAccounts>();
        await accounts.AddAsync("vera", UserRole.Viewer, Password);
        var mo = await accounts.AddAsync("mo", UserRole.Member, Password);
        await accounts.AddAsync("otto", UserRole.Member, Password);
        var sweep = await dashboard.Service<RunQueue>().LaunchAsync(QuickSweep.Request(), mo.Id);
        var token = await dashboard.Service<ApiTokens>().CreateAsync(mo.Id, "access test");

        var unlisted = Endpoints(dashboard).Where(e => !Rows.Any(r => Key(r) == e)).ToList();
        Assert.True(unlisted.Count == 0, $"routes without a row in {nameof(AccessTests)}.{nameof(Rows)}: {string.Join(", ", unlisted)}");
        var stale = Rows.Where(r => !Endpoints(dashboard).Contains(Key(r))).ToList();
        Assert.True(stale.Count == 0, $"rows for routes the app no longer maps: {string.Join(", ", stale.Select(Key))}");

        var clients = new Dictionary<Caller, HttpClient>
        {
            [Caller.Anonymous] = dashboard.NewBrowserClient(),
            [Caller.Viewer] = await dashboard.SignedInClientAsync("vera", Password),
            [Caller.MemberOwner] = await dashboard.SignedInClientAsync("mo", Password),
            [Caller.MemberOther] = await dashboard.SignedInClientAsync("otto", Password),
            [Caller.Admin] = await dashboard.SignedInClientAsync(),
            [Caller.PersonalToken] = Bearer(dashboard, token.Secret),
            [Caller.AutomationToken] = Bearer(dashboard, RunningDashboard.ApiToken),
        };
        var failures = new List<string>();
        foreach (var row in Rows)
        {
            var path = (row.Path ?? row.Pattern).Replace("{sweep}", sweep.Id.ToString()).Replace("{run}", sweep.Runs[0].Id.ToString());
            foreach (var (caller, client) in clients)
            {
                var callerPath = path.Contains("{own-sweep}")
                    ? path.Replace("{own-sweep}", (await dashboard.Service<RunQueue>().LaunchAsync(QuickSweep.Request(), mo.Id)).Id.ToString())
                    : path;
                using var response = await SendAsync(client, row.Method is "POST" or "DELETE" ? row.Method : "GET", callerPath);
                var expected = Expected(row.Rule, caller);
                var got = Outcome(response, row);
                if (got != expected)
                    failures.Add($"{row.Method} {callerPath} as {caller}: expected {expected}, got {got} ({(int)response.StatusCode} {response.Headers.Location} {Excerpt(await response.Content.ReadAsStringAsync())})");
                else if (got == "forbidden" && callerPath.StartsWith("/api"))
                {
                    // The 403 says which role the change needs.
                    var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
                    if (!detail.Contains("role")) failures.Add($"{row.Method} {callerPath} as {caller}: 403 without the role needed: {detail}");
                }
            }
        }
        foreach (var client in clients.Values) client.Dispose();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Expected(Rule rule, Caller caller) => (rule, caller) switch
    {
        (Rule.Open, _) => "allowed",
        (_, Caller.Anonymous) => "sign-in",
        (Rule.Read, _) => "allowed",
        (Rule.Launch, Caller.Viewer) => "forbidden",
        (Rule.Launch, _) => "allowed",
        (Rule.Change, Caller.MemberOwner or Caller.PersonalToken or Caller.Admin) => "allowed",
        (Rule.Change, _) => "forbidden",
        (Rule.Admin, Caller.Admin) => "allowed",
        (Rule.Admin, _) => "forbidden",
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    private static string Outcome(HttpResponseMessage response, Row row)
    {
        var status = response.StatusCode;
        if (status == HttpStatusCode.Unauthorized || (status == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/account/login?ReturnUrl=") == true))
            return "sign-in";
        if (status == HttpStatusCode.Forbidden) return "forbidden";
        if ((int)status >= 500) return "server error";
        if (row.Rule == Rule.Open || row.Pattern == "/account/logout") return "allowed";
        return status == (row.Allowed ?? HttpStatusCode.OK) ? "allowed" : $"unexpected {(int)status}";
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path)
    {
        if (method == "GET") return await client.GetAsync(path);
        HttpContent? body = method != "POST" ? null
            : path == "/api/sweeps"
                ? new StringContent(JsonSerializer.Serialize(QuickSweep.Request(), StoredConfig.Json), Encoding.UTF8, "application/json")
                : new StringContent("", Encoding.UTF8, "application/json");
        // As the dashboard's own pages send it: roles are under test here, not the same-origin check.
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body };
        request.Headers.Add("Origin", client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        return await client.SendAsync(request);
    }

    private static HttpClient Bearer(RunningDashboard dashboard, string secret)
    {
        var client = dashboard.NewBrowserClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    private static string Key(Row row) => $"{row.Method} {row.Pattern}";

    /// <summary>"METHODS pattern" of every route endpoint, less static files (open to all by design, one per file).</summary>
    private static HashSet<string> Endpoints(RunningDashboard dashboard) =>
        dashboard.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !IsStaticFile(e) && !IsBlazorPlumbing(e))
            .Select(e => $"{(e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? string.Join(' ', methods) : "*")} {e.RoutePattern.RawText}")
            .ToHashSet();

    private static bool IsStaticFile(RouteEndpoint e) => e.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor");

    // The circuit's own transport (/_blazor...): it authenticates with the page's cookie, and a page it serves is a row above.
    private static bool IsBlazorPlumbing(RouteEndpoint e) => e.RoutePattern.RawText?.StartsWith("/_blazor") == true || e.RoutePattern.RawText?.StartsWith("_blazor") == true;

    private static string Excerpt(string text) => text.Length > 200 ? text[..200] : text;
}

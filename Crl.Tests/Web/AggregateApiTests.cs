using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bunit;
using Crl.Benchmarks.Harness;
using Crl.Jobs.Persistence;
using Crl.Tests.Support;
using Crl.Web.Analysis;
using Crl.Web.Components.Pages;
using Crl.Web.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Xunit;

namespace Crl.Tests.Web;

/// <summary>
/// <c>/api/aggregate</c> on the real dashboard: the same numbers as the page, and a 400 naming the parameter and what
/// it allows for every bad one. No worker runs; the runs are synthetic, written through the real persistence.
/// </summary>
[Collection(DashboardCollection.Name)]
public class AggregateApiTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Crl:Workers:InProcess"] = "false",
        ["Crl:Analysis:BootstrapResamples"] = "300",
        ["Crl:Analysis:BootstrapSeed"] = "11",
    };

    private static Task<Crl.Jobs.Persistence.Model.Sweep> SeedAsync(RunningDashboard dashboard) =>
        SyntheticRuns.WriteAsync(dashboard.Service<IDbContextFactory<ExperimentDb>>(), dashboard.DataDirectory,
            SyntheticSweeps.Request("depths", ["point_u_maze", "point_big_maze"], [4, 16], seeds: 3), SyntheticSweeps.DeeperIsBetter);

    [Fact]
    public async Task The_api_json_its_csv_and_the_page_give_the_same_numbers()
    {
        await using var dashboard = await RunningDashboard.StartAsync(Settings);
        using var api = new ApiClient(dashboard);
        var sweep = await SeedAsync(dashboard);

        var json = await api.GetJsonAsync($"/api/aggregate?sweepIds={sweep.Id}&groupBy=actorDepth&baseline=4");
        Assert.Equal(("TimeAtGoal", 300, 11UL, 12), (json.GetProperty("metric").GetString(), json.GetProperty("resamples").GetInt32(), json.GetProperty("seed").GetUInt64(), json.GetProperty("runs").GetInt32()));
        var groups = json.GetProperty("result").GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["4", "16"], groups.Select(g => g.GetProperty("group").GetString()));
        var improvement = json.GetProperty("result").GetProperty("improvements")[0];
        Assert.Equal(("16", "4", 1.0), (improvement.GetProperty("group").GetString(), improvement.GetProperty("baseline").GetString(), improvement.GetProperty("probability").GetProperty("value").GetDouble()));

        // Another seed gives other intervals; the same seed the same ones.
        var again = await api.GetJsonAsync($"/api/aggregate?sweepIds={sweep.Id}&groupBy=actorDepth&baseline=4&seed=11&resamples=300");
        Assert.Equal(json.GetProperty("result").GetRawText(), again.GetProperty("result").GetRawText());
        var other = await api.GetJsonAsync($"/api/aggregate?sweepIds={sweep.Id}&groupBy=actorDepth&baseline=4&seed=12");
        Assert.NotEqual(json.GetProperty("result").GetProperty("groups").GetRawText(), other.GetProperty("result").GetProperty("groups").GetRawText());

        // The page over the same dashboard's services, at the same address, downloads what the API writes.
        await using var bunit = new BunitContext();
        bunit.Services.AddSingleton(dashboard.Service<SweepsQuery>());
        bunit.Services.AddSingleton(dashboard.Service<AggregateQuery>());
        bunit.Services.AddMudServices();
        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        bunit.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        bunit.Render<MudPopoverProvider>();
        bunit.Services.GetRequiredService<NavigationManager>().NavigateTo($"/aggregate?sweepIds={sweep.Id}");
        var page = bunit.Render<Aggregate>();
        page.WaitForAssertion(() => Assert.NotNull(page.Instance.Report));
        foreach (var chart in AggregateCharts.All)
        {
            var fromApi = await api.Http.GetStringAsync($"/api/aggregate.csv?sweepIds={sweep.Id}&chart={chart}");
            Assert.Equal(fromApi, await page.Instance.CsvAsync(chart));
        }
        var all = await api.Http.GetStringAsync($"/api/aggregate.csv?sweepIds={sweep.Id}");
        Assert.Equal(1 + 4 * 2 + 2 * (AggregateReport.ProfileSteps + 1) + 1, all.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Every_bad_parameter_answers_400_naming_it_and_what_it_allows()
    {
        await using var dashboard = await RunningDashboard.StartAsync(Settings);
        using var api = new ApiClient(dashboard);
        var sweep = await SeedAsync(dashboard);
        var s = sweep.Id;

        foreach (var (query, parameter, says) in new[]
        {
            ("", "sweepIds", "give sweepIds, runIds or both"),
            ("sweepIds=abc", "sweepIds", "comma-separated sweep ids"),
            ("runIds=1,-2", "runIds", "comma-separated run ids"),
            ($"sweepIds={s}&metric=Speed", "metric", "one of TimeAtGoal, Success"),
            ($"sweepIds={s}&resamples=5", "resamples", "[100, 50000]"),
            ($"sweepIds={s}&seed=-1", "seed", "an integer in [0, "),
            ("sweepIds=987654", "sweepIds", "no sweep has id 987654"),
            ("runIds=987654", "runIds", "no run has id 987654"),
            ($"sweepIds={s}&groupBy=colour", "groupBy", "one of: actorDepth, criticDepth"),
            ($"sweepIds={s}&groupBy=actorDepth&baseline=5", "baseline", "one of: 4, 16"),
            ($"sweepIds={s}&sweepId={s}", "sweepId", "the parameters are sweepIds, runIds, groupBy, baseline, metric, resamples, seed"),
        })
        {
            foreach (var path in new[] { "/api/aggregate", "/api/aggregate.csv" })
            {
                var response = await api.Http.GetAsync($"{path}?{query}");
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}?{query}: {response.StatusCode}");
                var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
                Assert.True(errors.TryGetProperty(parameter, out var messages), $"{path}?{query}: {errors}");
                Assert.Contains(says, messages[0].GetString());
            }
        }
        var chart = await api.Http.GetAsync($"/api/aggregate.csv?sweepIds={s}&chart=pie");
        Assert.Equal(HttpStatusCode.BadRequest, chart.StatusCode);
        Assert.Contains("intervals, profiles, improvement", (await chart.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("chart")[0].GetString());
    }
}

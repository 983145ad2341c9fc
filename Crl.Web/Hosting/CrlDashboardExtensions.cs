using System.Text.Json.Serialization;
using Crl.Web.Apis;
using Crl.Web.Auth;
using Crl.Web.Components;
using Crl.Web.LiveFeeds;
using Crl.Web.Queries;
using Hangfire;
using MudBlazor.Services;

namespace Crl.Web.Hosting;

/// <summary>The dashboard itself: its read model and live feeds, the HTTP API, the job queue's page and the Blazor pages.</summary>
public static class CrlDashboardExtensions
{
    public static IServiceCollection AddCrlDashboard(this IServiceCollection services)
    {
        services.AddSingleton<RunsQuery>();
        services.AddSingleton<SweepsQuery>();
        services.AddSingleton<MetricsQuery>();
        services.AddSingleton<ThroughputMeter>();
        services.AddSingleton<ScalingQuery>();
        services.AddSingleton<AggregateQuery>();
        services.AddSingleton<WorkersQuery>();

        services.AddSingleton<RunChangeFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<RunChangeFeed>());
        services.AddSingleton<MetricFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricFeed>());
        services.AddSingleton<TrainLogFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<TrainLogFeed>());
        services.AddSingleton<WorkerFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkerFeed>());

        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.Converters.Add(new UtcDateTimeConverter());
        });

        services.AddMudServices();
        services.AddRazorComponents().AddInteractiveServerComponents();
        return services;
    }

    /// <summary>The API, <c>/hangfire</c> and the pages; each needs a signed-in user or a token.</summary>
    public static WebApplication MapCrlDashboard(this WebApplication app)
    {
        app.MapSweepsApi();
        app.MapRunsApi();
        app.MapScalingApi();
        app.MapPresetsApi();
        app.MapAggregateApi();
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            DashboardTitle = "Crl jobs",
            AppPath = "/",
            Authorization = [new HangfireDashboardAuthorization()],
        }).RequireAuthorization();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}

using Crl.Jobs.Configuration;
using Crl.Jobs.Hosting;
using Crl.Web.Apis;
using Crl.Web.Auth;
using Crl.Web.Components;
using Crl.Web.Health;
using Crl.Web.Services;
using Crl.Jobs.Persistence.Queries;
using Hangfire;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace Crl.Web.Hosting;

/// <summary>The dashboard's composition: services, then the request pipeline. Program.cs and the tests both build it here.</summary>
public static class CrlWebApplication
{
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--Crl:DataDirectory=...</c>).</param>
    /// <param name="configure">Lets tests adjust the builder (configuration sources, URLs) before it is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var contentRoot = ContentRoot.Locate();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = contentRoot,
            WebRootPath = Path.Combine(contentRoot, "wwwroot"),
            ApplicationName = typeof(CrlWebApplication).Assembly.GetName().Name,
        });
        // _content/* (MudBlazor, Plotly) comes from the build's static web assets manifest whenever the app runs
        // from its build output, whatever the environment; a published app has the files on disk instead.
        builder.WebHost.UseStaticWebAssets();
        configure?.Invoke(builder);

        builder.Services
            .AddCrlOptions(builder.Configuration, contentRoot)
            .AddCrlPersistence()
            .AddCrlJobs(runWorker: builder.Configuration.GetValue($"{CrlOptions.Section}:Workers:InProcess", true));
        builder.Services.AddCrlAuth();
        builder.Services.AddCrlHealthChecks();
        builder.Services.AddSingleton<RunChangeFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RunChangeFeed>());
        builder.Services.AddSingleton<MetricFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MetricFeed>());
        builder.Services.AddSingleton<RunsQuery>();
        builder.Services.AddSingleton<ExperimentQueries>();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            json.SerializerOptions.Converters.Add(new UtcDateTimeConverter());
        });
        builder.Services.AddScoped<WorkersQuery>();
        builder.Services.AddMudServices();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();

        var app = builder.Build();
        // Validate now: Hangfire's storage is opened while the pipeline below is built, before the host's own check.
        _ = app.Services.GetRequiredService<IOptions<CrlOptions>>().Value;

        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapCrlHealthChecks().AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapSweepsApi();
        app.MapRunsApi();
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

using Crl.Jobs.Configuration;
using Crl.Jobs.Hosting;
using Crl.Web.Auth;
using Crl.Web.Health;
using Crl.Web.Http;
using Microsoft.Extensions.Options;

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
            .AddCrlJobs(runWorker: builder.Configuration.GetValue($"{CrlOptions.Section}:Workers:InProcess", true))
            .AddCrlAuth()
            .AddCrlHealthChecks()
            .AddCrlHttp()
            .AddCrlDashboard();

        var app = builder.Build();
        // Validate now: Hangfire's storage is opened while the pipeline below is built, before the host's own check.
        _ = app.Services.GetRequiredService<IOptions<CrlOptions>>().Value;

        app.UseCrlHttp();
        app.UseAuthentication();
        app.UseMiddleware<SameOriginChanges>();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapCrlHealthChecks().AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapCrlDashboard();
        return app;
    }
}

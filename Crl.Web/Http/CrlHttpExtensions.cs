using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Crl.Web.Http;

/// <summary>How the server treats HTTP itself: headers on every response, body size, unreadable requests, cross-site changes.</summary>
public static class CrlHttpExtensions
{
    public static IServiceCollection AddCrlHttp(this IServiceCollection services)
    {
        services.AddExceptionHandler<BadRequestHandler>();
        // Binding failures throw, so BadRequestHandler can name the parameter instead of a bare 400.
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        // The Server header tells an attacker what to look up, and nobody else needs it.
        services.Configure<KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);
        return services;
    }

    /// <summary>Before authentication: headers, errors and body size apply to every request, signed in or not.</summary>
    public static WebApplication UseCrlHttp(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/error", CreateScopeForErrors = true });
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimit>();
        app.UseMiddleware<PageQueryCheck>();
        return app;
    }
}

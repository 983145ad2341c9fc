using Crl.Jobs.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Crl.Jobs.Hosting;

/// <summary>The host of the command-line processes (worker, training process): the one appsettings.json, options and the database.</summary>
public static class CrlHost
{
    /// <param name="overrides">Settings that win over every other source.</param>
    /// <param name="commandLine">Configuration overrides such as <c>--Crl:Training:Threads=2</c>; they win over appsettings.json and the environment.</param>
    public static HostApplicationBuilder CreateBuilder(IDictionary<string, string?>? overrides = null, string[]? commandLine = null)
    {
        var contentRoot = ContentRoot.Locate();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot, Args = commandLine });
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        builder.Services.AddCrlOptions(builder.Configuration, contentRoot).AddCrlPersistence();
        return builder;
    }
}

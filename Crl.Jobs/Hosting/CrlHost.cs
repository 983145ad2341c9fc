using Crl.Jobs.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Crl.Jobs.Hosting;

/// <summary>The host of the command-line processes (worker, training process): the one appsettings.json, options and the database.</summary>
public static class CrlHost
{
    public static HostApplicationBuilder CreateBuilder(IDictionary<string, string?>? overrides = null)
    {
        var contentRoot = ContentRoot.Locate();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot });
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        builder.Services.AddCrlOptions(builder.Configuration, contentRoot).AddCrlPersistence();
        return builder;
    }
}

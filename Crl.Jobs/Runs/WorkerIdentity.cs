using Crl.Jobs.Configuration;
using Microsoft.Extensions.Options;

namespace Crl.Jobs.Runs;

/// <summary>The name this process goes by on runs and on the Workers page.</summary>
public sealed class WorkerIdentity(IOptions<CrlOptions> options)
{
    public string Name { get; } = string.IsNullOrWhiteSpace(options.Value.Workers.Name)
        ? $"{Environment.MachineName}:{Environment.ProcessId}"
        : options.Value.Workers.Name;
}

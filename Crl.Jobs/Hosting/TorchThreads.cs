using Crl.Jobs.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace Crl.Jobs.Hosting;

/// <summary>Sets libtorch's thread count once per worker process, from <c>Crl:Training:Threads</c>.</summary>
public sealed class TorchThreads(IOptions<CrlOptions> options, ILogger<TorchThreads> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var threads = options.Value.Training.Threads > 0 ? options.Value.Training.Threads : Environment.ProcessorCount;
        set_num_threads(threads);
        logger.LogInformation("libtorch uses {Threads} thread(s); device setting '{Device}'", threads, options.Value.Training.Device);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

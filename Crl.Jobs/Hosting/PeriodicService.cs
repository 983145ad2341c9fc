using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Crl.Jobs.Hosting;

/// <summary>
/// A background loop that does one piece of work per period, starting at once. A failed tick (a busy database, a
/// briefly unreachable storage) is logged and the next tick tries again; only shutdown ends the loop.
/// </summary>
public abstract class PeriodicService(ILogger logger) : BackgroundService
{
    protected abstract TimeSpan Period { get; }

    /// <summary>Logged with the exception when a tick fails.</summary>
    protected abstract string FailureMessage { get; }

    protected abstract Task TickAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "{Failure}; trying again next tick", FailureMessage);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

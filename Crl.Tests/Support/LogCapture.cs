using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Crl.Tests.Support;

/// <summary>
/// Keeps every entry a dashboard logs at Information or above, so a test can read what an operator would, or say which
/// errors the server logged.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    public sealed record Entry(LogLevel Level, string Category, string Message, Exception? Exception);

    private readonly ConcurrentQueue<Entry> entries = new();

    public IReadOnlyList<Entry> Entries => [.. entries];

    /// <summary>Each entry as one line: level, category and message.</summary>
    public IReadOnlyList<string> Lines => [.. entries.Select(e => $"{e.Level} {e.Category}: {e.Message}")];

    /// <summary>Adds this capture to a dashboard's builder (<c>RunningDashboard.StartAsync(settings, capture.AddTo)</c>).</summary>
    public void AddTo(WebApplicationBuilder builder)
    {
        builder.Logging.AddProvider(this);
        builder.Logging.AddFilter<LogCapture>(null, LogLevel.Information);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) capture.entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), exception));
        }
    }
}

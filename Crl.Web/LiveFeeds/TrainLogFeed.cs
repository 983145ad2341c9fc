using Crl.Jobs.Hosting;
using Crl.Jobs.Runs;

namespace Crl.Web.LiveFeeds;

/// <summary>
/// Pushes new lines of runs' <c>train.log</c> to the pages following them. The worker training a run may be another
/// process or machine, writing to the shared data directory, so the file is the channel: each tick reads, for each
/// follower, the complete lines past the offset it has (one stat when nothing was written). File-change
/// notifications would not do: they do not cross NFS.
/// </summary>
public sealed class TrainLogFeed(RunFiles files, ILogger<TrainLogFeed> logger) : PeriodicService(logger)
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    /// <summary>Lines a follower gets again when the log's older half was dropped under it.</summary>
    public const int ResetLines = 500;

    private readonly Lock gate = new();
    private readonly List<Follower> followers = [];

    /// <summary>
    /// Calls <paramref name="onLines"/> with each run of new complete lines after <paramref name="offset"/> (the
    /// <see cref="LogChunk.End"/> of what the page read) until the returned handle is disposed.
    /// </summary>
    public IDisposable Follow(long runId, long offset, Action<LogChunk> onLines)
    {
        var follower = new Follower(runId, offset, onLines);
        lock (gate) followers.Add(follower);
        return new Unfollow(() => { lock (gate) followers.Remove(follower); });
    }

    protected override TimeSpan Period => Tick;

    protected override string FailureMessage => "Reading runs' train.log failed";

    protected override Task TickAsync(CancellationToken cancellationToken)
    {
        Publish();
        return Task.CompletedTask;
    }

    public void Publish()
    {
        Follower[] current;
        lock (gate) current = [.. followers];
        foreach (var follower in current)
        {
            var chunk = TrainLog.ReadAfter(files.TrainLog(follower.RunId), follower.Offset, ResetLines);
            follower.Offset = chunk.End;
            if (chunk.Lines.Count > 0 || chunk.Reset) follower.OnLines(chunk);
        }
    }

    private sealed class Follower(long runId, long offset, Action<LogChunk> onLines)
    {
        public long RunId { get; } = runId;
        public long Offset { get; set; } = offset;
        public Action<LogChunk> OnLines { get; } = onLines;
    }

    private sealed class Unfollow(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

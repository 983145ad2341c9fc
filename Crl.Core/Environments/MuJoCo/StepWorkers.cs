namespace Crl.Core.Environments.MuJoCo;

/// <summary>
/// Dedicated threads that run one piece of per-environment work over all environments of a batch and return when
/// every environment is done. Environments are handed out in small blocks from a shared counter, so a slow slot
/// (many contacts) does not leave other cores idle; results never depend on which thread ran a slot, because each
/// slot owns its mjData. The caller's thread works too, so one worker means no extra thread at all. Nothing here
/// allocates per batch.
/// </summary>
internal sealed class StepWorkers : IDisposable
{
    private readonly Thread[] helpers;
    private readonly SemaphoreSlim[] start;
    private readonly CountdownEvent finished;
    private Action<int>? work;
    private int count, blockSize, blocks, nextBlock;
    private volatile bool stopping;
    private Exception? failure;

    public StepWorkers(int workerCount)
    {
        if (workerCount < 1) throw new ArgumentOutOfRangeException(nameof(workerCount), workerCount, "at least one worker");
        WorkerCount = workerCount;
        helpers = new Thread[workerCount - 1];
        start = new SemaphoreSlim[helpers.Length];
        finished = new CountdownEvent(1);
        for (int t = 0; t < helpers.Length; t++)
        {
            start[t] = new SemaphoreSlim(0);
            var semaphore = start[t];
            helpers[t] = new Thread(() => HelperLoop(semaphore)) { IsBackground = true, Name = $"mujoco-step-{t + 1}" };
            helpers[t].Start();
        }
    }

    public int WorkerCount { get; }

    /// <summary>Run <paramref name="perEnvironment"/> for every index in [0, <paramref name="environments"/>).</summary>
    public void Run(int environments, Action<int> perEnvironment)
    {
        ObjectDisposedException.ThrowIf(stopping, this);
        work = perEnvironment;
        count = environments;
        // About four blocks per worker: enough to balance uneven slots, few enough to keep neighbours on one core.
        blockSize = Math.Max(1, environments / (4 * WorkerCount));
        blocks = (environments + blockSize - 1) / blockSize;
        Volatile.Write(ref nextBlock, 0);
        failure = null;
        if (helpers.Length > 0)
        {
            finished.Reset(helpers.Length);
            foreach (var s in start) s.Release();
        }
        Drain();
        if (helpers.Length > 0) finished.Wait();
        work = null;
        if (failure is { } e) throw new AggregateException("a MuJoCo step worker failed", e);
    }

    private void Drain()
    {
        var body = work!;
        int block;
        while ((block = Interlocked.Increment(ref nextBlock) - 1) < blocks)
        {
            int from = block * blockSize, to = Math.Min(count, from + blockSize);
            try
            {
                for (int i = from; i < to; i++) body(i);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
        }
    }

    private void HelperLoop(SemaphoreSlim semaphore)
    {
        while (true)
        {
            semaphore.Wait();
            if (stopping) return;
            Drain();
            finished.Signal();
        }
    }

    public void Dispose()
    {
        if (stopping) return;
        stopping = true;
        foreach (var s in start) s.Release();
        foreach (var t in helpers) t.Join();
        foreach (var s in start) s.Dispose();
        finished.Dispose();
    }
}

using System.Diagnostics;
using System.Text;

namespace Crl.Tests.Support;

/// <summary>How a child process ended, with everything it wrote.</summary>
public sealed record ProcessExit(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// A process a test starts (a worker, the web server, <c>initdb</c>): both output streams are collected as it runs, a
/// wait that outlives its deadline kills it with every process it started, and a failure message carries its output.
/// Disposing kills whatever is still running, so a failed test leaves no process behind.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    // Output still in the pipes when the process exits arrives moments later; a grandchild that inherited them could
    // hold them open for good, so the wait for the rest is bounded.
    private static readonly TimeSpan OutputDrain = TimeSpan.FromSeconds(5);

    private readonly Process process;
    private readonly string what;
    private readonly StringBuilder stdout = new(), stderr = new(), interleaved = new();
    private readonly TaskCompletionSource stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(ProcessStartInfo start)
    {
        Lanes.RequireSlowLane($"another process ({Path.GetFileName(start.FileName)})");
        what = $"{Path.GetFileName(start.FileName)} {string.Join(' ', start.ArgumentList)}";
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Collect(e.Data, stdout, stdoutClosed);
        process.ErrorDataReceived += (_, e) => Collect(e.Data, stderr, stderrClosed);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Starts <paramref name="program"/>; <paramref name="environment"/> adds to (or, with a null value, removes from) this process's.</summary>
    public static ChildProcess Start(string program, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? [])
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        return new ChildProcess(start);
    }

    /// <summary>One of our programs from the test output folder, which holds each referenced project's dll and runtimeconfig.</summary>
    public static ChildProcess StartDotnet(string assembly, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string?>>? environment = null) =>
        Start("dotnet", [Path.Combine(AppContext.BaseDirectory, assembly), .. arguments], environment);

    /// <summary>Runs a program to its end; past <paramref name="timeout"/> it is killed and a <see cref="TimeoutException"/> names it.</summary>
    public static async Task<ProcessExit> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        using var child = Start(program, arguments, environment);
        return await child.WaitForExitAsync(timeout);
    }

    /// <inheritdoc cref="RunAsync"/>
    public static ProcessExit Run(string program, IEnumerable<string> arguments, TimeSpan timeout, IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        using var child = Start(program, arguments, environment);
        return child.WaitForExit(timeout);
    }

    public int Id => process.Id;

    /// <summary>Both streams as the lines arrived, for failure messages.</summary>
    public string Output
    {
        get { lock (interleaved) return interleaved.ToString(); }
    }

    public async Task<ProcessExit> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw TimedOut(timeout);
        }
        await Task.WhenAny(Task.WhenAll(stdoutClosed.Task, stderrClosed.Task), Task.Delay(OutputDrain));
        return Exit();
    }

    public ProcessExit WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout)) throw TimedOut(timeout);
        Task.WhenAll(stdoutClosed.Task, stderrClosed.Task).Wait(OutputDrain);
        return Exit();
    }

    /// <summary>SIGKILL to this process alone, as a crash or the OOM killer would: no shutdown code runs, its children live on.</summary>
    public void KillHard() => process.Kill(entireProcessTree: false);

    public void Dispose()
    {
        KillTree();
        process.Dispose();
    }

    private ProcessExit Exit()
    {
        lock (interleaved) return new ProcessExit(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    private TimeoutException TimedOut(TimeSpan timeout)
    {
        KillTree();
        return new TimeoutException($"{what} was still running after {timeout.TotalSeconds:0} s and was killed; its output:\n{Output}");
    }

    private void KillTree()
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { /* never started or already gone */ }
    }

    private void Collect(string? line, StringBuilder stream, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }
        lock (interleaved)
        {
            stream.AppendLine(line);
            interleaved.AppendLine(line);
        }
    }
}

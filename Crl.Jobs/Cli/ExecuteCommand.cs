using System.CommandLine;
using Crl.Jobs.Hosting;
using Crl.Jobs.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Crl.Jobs.Cli;

/// <summary>
/// <c>execute --run-id N</c>: the training process a worker starts for one run (see <see cref="TrainingProcess"/>).
/// Not meant for people; <c>train</c> is the command for training by hand.
/// </summary>
public static class ExecuteCommand
{
    public static Command Create()
    {
        var runId = new Option<long>("--run-id") { Description = "The run to train", Required = true };
        var leaseOwner = new Option<string>("--lease-owner") { Description = "The worker holding the run's lease", Required = true };
        var command = new Command(TrainingProcess.ExecuteVerb, "Train one run from the database (started by workers)") { runId, leaseOwner };
        command.Hidden = true;
        command.SetAction(parse => Execute(parse.GetValue(runId), parse.GetValue(leaseOwner)!));
        return command;
    }

    private static int Execute(long runId, string leaseOwner)
    {
        var builder = CrlHost.CreateBuilder();
        builder.Services.AddSingleton<RunExecution>();
        using var host = builder.Build();
        // MuJoCo reports warnings ("bad qacc" resets an mjData) through a process-wide hook; send them to the run's log.
        Crl.Core.Environments.MuJoCo.MujocoLibrary.Logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MuJoCo");

        using var stop = new CancellationTokenSource();
        // The worker writes "stop" to ask for a stop; end of input means the worker itself is gone.
        var stdin = new Thread(() =>
        {
            while (Console.In.ReadLine() is { } line)
                if (line.Trim() == TrainingProcess.StopCommand) break;
            stop.Cancel();
        }) { IsBackground = true, Name = "stop-listener" };
        stdin.Start();

        try
        {
            return (int)host.Services.GetRequiredService<RunExecution>().Execute(runId, leaseOwner, stop.Token);
        }
        catch (Exception e)
        {
            host.Services.GetRequiredService<ILogger<RunExecution>>().LogError(e, "Run {RunId} failed", runId);
            // The console logger writes from a queue of its own; disposing the host drains it, so the stack trace comes
            // before the one line the worker and the run's log look for, which then closes what the process wrote.
            host.Dispose();
            Console.Error.WriteLine(RunJob.ErrorPrefix + e.GetBaseException().Message.ReplaceLineEndings(" "));
            return (int)RunOutcome.Failed;
        }
    }
}

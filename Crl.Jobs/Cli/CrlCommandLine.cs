using System.CommandLine;

namespace Crl.Jobs.Cli;

/// <summary>The <c>Crl.Jobs</c> command line: one verb per file, composed here.</summary>
public static class CrlCommandLine
{
    public static Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("Crl: contrastive RL training and job workers")
        {
            WorkerCommand.Create(),
            UsersCommand.Create(),
            ExecuteCommand.Create(),
            TrainCommand.Create(),
            DescribeCommand.Create(),
            EvaluateCommand.Create(),
            KnobsCommand.Create(),
            EnvsCommand.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}

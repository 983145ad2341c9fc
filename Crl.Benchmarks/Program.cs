using System.CommandLine;
using Crl.Benchmarks.Aggregate;
using Crl.Benchmarks.Dashboard;
using Crl.Benchmarks.Db;
using Crl.Benchmarks.Envs;
using Crl.Benchmarks.Trainer;

// dotnet run --project Crl.Benchmarks -c Release -- trainer|envs|db|dashboard|aggregate: one verb per folder.
var root = new RootCommand("Crl benchmarks: each figure next to a baseline measured in the same run")
{
    TrainerCommand.Create(),
    EnvsCommand.Create(),
    DbCommand.Create(),
    DashboardCommand.Create(),
    AggregateCommand.Create(),
};
return await root.Parse(args).InvokeAsync();

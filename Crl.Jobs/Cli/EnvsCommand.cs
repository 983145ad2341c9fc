using System.CommandLine;
using System.Text.Json;
using Crl.Core.Environments;

namespace Crl.Jobs.Cli;

/// <summary><c>envs</c>: the tasks this build can train on.</summary>
public static class EnvsCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print an array of {id, state_dim, goal_dim, action_dim, episode_length, available, reason}" };
        var command = new Command("envs", "List environment ids, dimensions and availability") { json };
        command.SetAction(parse =>
        {
            var rows = EnvRegistry.All.Select(e => new
            {
                id = e.Spec.Id,
                state_dim = e.Spec.StateDim,
                goal_dim = e.Spec.GoalDim,
                action_dim = e.Spec.ActionDim,
                episode_length = e.Spec.EpisodeLength,
                available = e.Available,
                reason = e.Reason,
            }).ToList();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(rows));
                return 0;
            }
            Console.WriteLine($"{"id",-26} {"state",5} {"goal",4} {"action",6} {"episode",7}  available");
            foreach (var e in EnvRegistry.All)
                Console.WriteLine($"{e.Spec.Id,-26} {e.Spec.StateDim,5} {e.Spec.GoalDim,4} {e.Spec.ActionDim,6} {e.Spec.EpisodeLength,7}  {(e.Available ? "yes" : "no: " + e.Reason)}  {e.Spec.Description}");
            return 0;
        });
        return command;
    }
}

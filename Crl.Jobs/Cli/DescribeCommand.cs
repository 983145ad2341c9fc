using System.CommandLine;
using System.Text.Json;
using Crl.Core.Environments;
using Crl.Core.Training;

namespace Crl.Jobs.Cli;

/// <summary><c>describe</c>: parameter counts of the networks a config builds (closed form, no allocation).</summary>
public static class DescribeCommand
{
    public static Command Create()
    {
        var knobs = new ConfigOptions();
        var json = new Option<bool>("--json") { Description = "Print {actor, sa_encoder, g_encoder, total} as JSON" };
        var command = new Command("describe", "Parameter counts of the actor and the critic's encoders for a config") { json };
        knobs.AddTo(command);
        command.SetAction(parse =>
        {
            var (config, errors) = knobs.Bind(parse);
            if (config is null)
            {
                foreach (var e in errors) Console.Error.WriteLine(e);
                return 2;
            }
            var spec = EnvRegistry.Get(config.Env).Spec;
            var sizes = CrlTrainer.AgentSpec(config, spec).Sizes;
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { actor = sizes.Actor, sa_encoder = sizes.SaEncoder, g_encoder = sizes.GEncoder, total = sizes.Total }));
                return 0;
            }
            Console.WriteLine($"env {spec.Id}: state {spec.StateDim}, goal {spec.GoalDim}, action {spec.ActionDim}");
            Console.WriteLine($"actor       depth {config.ActorDepth,4} width {config.ActorWidth,5}: {sizes.Actor,12:N0}");
            Console.WriteLine($"sa_encoder  depth {config.CriticDepth,4} width {config.CriticWidth,5}: {sizes.SaEncoder,12:N0}");
            Console.WriteLine($"g_encoder   depth {config.CriticDepth,4} width {config.CriticWidth,5}: {sizes.GEncoder,12:N0}");
            Console.WriteLine($"total                          : {sizes.Total,12:N0}");
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using System.Text.Json;
using Crl.Core.Algorithms;
using Crl.Core.Training;
using Crl.Jobs.Runs;

namespace Crl.Jobs.Cli;

/// <summary><c>evaluate</c>: deterministic evaluation episodes of a checkpoint (a directory or a kept checkpoint's zip).</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint directory (OUT/checkpoints/latest, epoch-NNNN) or a downloaded checkpoint zip", Required = true };
        var env = new Option<string?>("--env") { Description = "Task to evaluate on, with the checkpoint's dims [default: the run's eval task, else its task's _eval goal set, else its task]" };
        var episodes = new Option<int?>("--episodes") { Description = $"Episodes, one per eval env; in [1, {CheckpointEvaluation.MaxEpisodes}] [default: the run's numEvalEnvs]" };
        var selection = new Option<string?>("--action-selection") { Description = $"{ActionSelection.Allowed} [default: the run's evalActionSelection]" };
        var seed = new Option<ulong>("--seed") { Description = "Seeds the episodes' starts and goals (and argmax-q's samples) [default: 0]" };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("evaluate", "Run deterministic evaluation episodes of a checkpoint: time at goal, success and distance")
        {
            checkpoint, env, episodes, selection, seed, device, json,
        };
        command.SetAction(parse =>
        {
            var settings = new CheckpointEvaluationSettings(parse.GetValue(env), parse.GetValue(episodes), parse.GetValue(selection), parse.GetValue(seed), parse.GetValue(device)!);
            CheckpointEvaluationResult evaluation;
            try
            {
                evaluation = CheckpointArchive.Open(parse.GetValue(checkpoint)!, directory => CheckpointEvaluation.Run(directory, settings));
            }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or InvalidDataException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
            var r = evaluation.Result;
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    env = evaluation.Env,
                    episodes = evaluation.Episodes,
                    episode_length = evaluation.EpisodeLength,
                    action_selection = evaluation.ActionSelection,
                    time_at_goal = r.TimeAtGoal,
                    time_at_goal_fraction = evaluation.TimeAtGoalFraction,
                    success_any = r.SuccessAny,
                    episode_dist = r.EpisodeDist,
                    avg_episode_length = r.AvgEpisodeLength,
                }));
                return 0;
            }
            Console.WriteLine($"{evaluation.Episodes} episodes of {evaluation.Env} ({evaluation.EpisodeLength} steps), actions by {evaluation.ActionSelection}");
            Console.WriteLine($"time at goal   {r.TimeAtGoal:F1} steps ({evaluation.TimeAtGoalFraction:P1} of the episode)");
            Console.WriteLine($"success        {r.SuccessAny:P1} of episodes reached the goal");
            Console.WriteLine($"distance       {r.EpisodeDist:F1} (sum over the episode's steps)");
            return 0;
        });
        return command;
    }
}

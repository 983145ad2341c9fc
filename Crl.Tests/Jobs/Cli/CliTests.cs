using System.Text.Json;
using Crl.Core.Networks;
using Crl.Jobs.Cli;
using Crl.Jobs.Runs;
using Crl.Tests.Core.Training;
using Xunit;

namespace Crl.Tests.Jobs.Cli;

/// <summary>The verbs as a user runs them; serial because they write to the process-wide console.</summary>
[Collection(TrainerCollection.Name)]
public class CliTests
{
    /// <summary>Runs the command line as a user would, capturing what it prints.</summary>
    internal static async Task<(int Code, string Out, string Error)> Run(params string[] args)
    {
        var (oldOut, oldError) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = await CrlCommandLine.InvokeAsync(args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }

    [Fact]
    public async Task Describe_prints_the_parameter_counts_as_json()
    {
        var (code, output, _) = await Run("describe", "--env", "reacher", "--actor-depth", "8", "--critic-depth", "16", "--width", "128", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var expected = NetworkSizes.Of(10, 3, 2, 128, 8, 128, 16);
        Assert.Equal(expected.Actor, json.RootElement.GetProperty("actor").GetInt64());
        Assert.Equal(expected.SaEncoder, json.RootElement.GetProperty("sa_encoder").GetInt64());
        Assert.Equal(expected.GEncoder, json.RootElement.GetProperty("g_encoder").GetInt64());
        Assert.Equal(expected.Total, json.RootElement.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Describe_counts_follow_representation_dim_and_not_the_residual_switch()
    {
        async Task<JsonElement> Sizes(params string[] flags)
        {
            var (code, output, error) = await Run(["describe", "--env", "reacher", "--depth", "8", "--width", "128", "--json", .. flags]);
            Assert.True(code == 0, error);
            return JsonDocument.Parse(output).RootElement.Clone();
        }
        var paper = await Sizes();
        var plain = await Sizes("--residual", "off", "--activation", "relu");
        var wide = await Sizes("--representation-dim", "256");

        Assert.Equal(paper.GetRawText(), plain.GetRawText()); // skips and activations have no parameters
        Assert.Equal(paper.GetProperty("actor").GetInt64(), wide.GetProperty("actor").GetInt64());
        // Each encoder's Dense(128 → representation) head: (256 − 64) × 129 more parameters.
        Assert.Equal(192 * 129, wide.GetProperty("sa_encoder").GetInt64() - paper.GetProperty("sa_encoder").GetInt64());
        Assert.Equal(192 * 129, wide.GetProperty("g_encoder").GetInt64() - paper.GetProperty("g_encoder").GetInt64());
    }

    [Fact]
    public async Task Evaluate_runs_deterministic_episodes_of_a_checkpoint_directory_or_zip()
    {
        var root = Directory.CreateTempSubdirectory("crl-evaluate-").FullName;
        try
        {
            var checkpoint = Path.Combine(root, "epoch-0000");
            using (var trainer = new Crl.Core.Training.CrlTrainer(Crl.Tests.Core.Training.CrlTrainerTests.Tiny() with { EvalEnv = "point_u_maze_eval" }))
                trainer.SaveCheckpoint(checkpoint);

            var (code, output, error) = await Run("evaluate", "--checkpoint", checkpoint, "--episodes", "6", "--json");
            Assert.True(code == 0, error);
            using var first = JsonDocument.Parse(output);
            var r = first.RootElement;
            Assert.Equal(("point_u_maze_eval", 6, 30, "policy"), (r.GetProperty("env").GetString(), r.GetProperty("episodes").GetInt32(),
                r.GetProperty("episode_length").GetInt32(), r.GetProperty("action_selection").GetString()));
            Assert.InRange(r.GetProperty("time_at_goal").GetDouble(), 0, 30);
            Assert.InRange(r.GetProperty("success_any").GetDouble(), 0, 1);
            Assert.True(r.GetProperty("episode_dist").GetDouble() > 0);

            // The same episodes again from the kept checkpoint's zip: deterministic.
            var zip = CheckpointArchive.Pack(checkpoint).Path;
            (code, var again, error) = await Run("evaluate", "--checkpoint", zip, "--episodes", "6", "--json");
            Assert.True(code == 0, error);
            Assert.Equal(output, again);

            (code, output, error) = await Run("evaluate", "--checkpoint", zip, "--env", "point_u_maze", "--episodes", "4", "--action-selection", "argmax-q:8");
            Assert.True(code == 0, error);
            Assert.Contains("4 episodes of point_u_maze (30 steps), actions by argmax-q:8", output);
            Assert.Contains("time at goal", output);
            Assert.Contains("success", output);

            (code, _, error) = await Run("evaluate", "--checkpoint", zip, "--episodes", "0", "--env", "reacher", "--action-selection", "best");
            Assert.Equal(2, code);
            Assert.Contains("episodes must be in [1, 65536]; got 0", error);
            Assert.Contains("env must have the checkpoint's state, goal and action dims", error);
            Assert.Contains("actionSelection must be policy, or argmax-q:K", error);

            (code, _, error) = await Run("evaluate", "--checkpoint", Path.Combine(root, "nothing"));
            Assert.Equal(2, code);
            Assert.Contains("neither a checkpoint directory nor a checkpoint zip", error);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Envs_lists_every_built_task_as_json()
    {
        var (code, output, _) = await Run("envs", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var ids = json.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(Crl.Core.Environments.EnvRegistry.Ids.Order(), ids.Order());
        Assert.Contains("point_u4_maze_eval", ids);
        Assert.Contains("reacher", ids);
        var big = json.RootElement.EnumerateArray().Single(e => e.GetProperty("id").GetString() == "point_big_maze");
        Assert.Equal(4, big.GetProperty("state_dim").GetInt32());
        Assert.Equal(2, big.GetProperty("goal_dim").GetInt32());
        Assert.Equal(2, big.GetProperty("action_dim").GetInt32());
        Assert.Equal(1000, big.GetProperty("episode_length").GetInt32());
        Assert.True(big.GetProperty("available").GetBoolean());
        Assert.Equal("", big.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Train_refuses_bad_flags_naming_the_flag_and_range()
    {
        var (code, _, error) = await Run("train", "--batch-size", "1", "--critic-depth", "10", "--num-envs", "many");

        Assert.Equal(2, code);
        Assert.Contains("--num-envs: cannot read 'many' as int32", error);

        (code, _, error) = await Run("train", "--batch-size", "1", "--critic-depth", "10");
        Assert.Equal(2, code);
        Assert.Contains("BatchSize (--batch-size) must be in [16, 65536]; got 1", error);
        Assert.Contains("CriticDepth (--critic-depth) must be a multiple of 4 in [4, 1024]; got 10", error);
    }

    [Fact]
    public async Task Worker_refuses_an_argument_that_is_neither_its_option_nor_a_setting()
    {
        var (code, _, error) = await Run("worker", "--slot", "2");

        Assert.Equal(2, code);
        Assert.Contains("Unrecognized argument '--slot'", error);

        (code, _, error) = await Run("worker", "--name", "w", "--Crl:Training:Threads");
        Assert.Equal(2, code);
        Assert.Contains("Unrecognized argument '--Crl:Training:Threads'", error);
    }

    [Fact]
    public async Task Train_writes_metrics_config_checkpoints_and_the_policy_and_resumes()
    {
        var root = Directory.CreateTempSubdirectory("crl-cli-").FullName;
        try
        {
            string[] tiny =
            [
                "--env", "point_u_maze", "--depth", "4", "--width", "16", "--batch-size", "16", "--num-envs", "8",
                "--unroll-length", "10", "--episode-length", "20", "--min-replay-size", "20", "--max-replay-size", "100",
                "--num-sgd-batches-per-training-step", "2", "--total-env-steps", "480", "--num-epochs", "2",
                "--num-eval-envs", "4", "--device", "cpu", "--torch-threads", "1", "--seed", "3",
            ];
            var (code, output, error) = await Run(["train", .. tiny, "--out", root]);

            Assert.True(code == 0, error);
            Assert.Contains("time at goal", output);
            var rows = File.ReadAllLines(Path.Combine(root, "metrics.csv"));
            Assert.Equal(1 + 3, rows.Length); // header, epochs 0, 1, 2
            Assert.StartsWith("epoch,env_steps,updates,wall_time_s,training/sps", rows[0]);
            Assert.StartsWith("2,", rows[^1]);
            using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "config.json")));
            Assert.Equal(16, config.RootElement.GetProperty("BatchSize").GetInt32());
            Assert.True(File.Exists(Path.Combine(root, "policy.safetensors")));
            Assert.True(Directory.Exists(Path.Combine(root, "checkpoints", "epoch-0001")));
            var trajectories = (await TrajectoryFile.ReadAsync(Path.Combine(root, "trajectories.json")))!;
            Assert.Equal((2, rows[^1].Split(',')[1]), (trajectories.Epoch, trajectories.EnvSteps.ToString()));
            Assert.Equal(4, trajectories.Trajectories.Paths.Count); // --num-eval-envs 4
            Assert.All(trajectories.Trajectories.Paths, p => Assert.Equal(20, p.X.Length));

            (code, _, error) = await Run("train", "--resume", Path.Combine(root, "checkpoints", "epoch-0001"), "--batch-size", "32");
            Assert.Equal(2, code);
            Assert.Contains("only --device", error);

            (code, _, error) = await Run("train", "--resume", Path.Combine(root, "checkpoints", "epoch-0001"), "--out", root, "--quiet");
            Assert.True(code == 0, error);
            rows = File.ReadAllLines(Path.Combine(root, "metrics.csv"));
            // Epoch 2's old row is dropped (it came after the checkpoint) and the resumed run writes it anew.
            Assert.Equal(["0", "1", "2"], rows.Skip(1).Select(r => r.Split(',')[0]));
            Assert.Equal(2, (await TrajectoryFile.ReadAsync(Path.Combine(root, "trajectories.json")))!.Epoch);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

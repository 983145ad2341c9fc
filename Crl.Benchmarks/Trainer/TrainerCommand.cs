using System.CommandLine;
using System.Text.Json;
using Crl.Core.Training;


namespace Crl.Benchmarks.Trainer;

/// <summary><c>trainer</c>: the throughput and memory figures of issue 4.</summary>
public static class TrainerCommand
{
    public static Command Create()
    {
        var depths = new Option<int[]>("--depths") { Description = "Depths to time (as --actor-depth)", DefaultValueFactory = _ => [4, 16, 64], AllowMultipleArgumentsPerToken = true };
        var width = new Option<int>("--width") { Description = "Width of actor and critic", DefaultValueFactory = _ => 256 };
        var batch = new Option<int>("--batch-size") { Description = "Minibatch size", DefaultValueFactory = _ => 256 };
        var updates = new Option<int>("--updates") { Description = "Updates per timed round (5 rounds per depth, the fastest counts)", DefaultValueFactory = _ => 10 };
        var env = new Option<string>("--env") { Description = "Environment for the env-step rate", DefaultValueFactory = _ => "point_big_maze" };
        var envCount = new Option<int>("--num-envs") { Description = "Batched envs stepped on one core", DefaultValueFactory = _ => 512 };
        var memoryEarly = new Option<int>("--memory-updates-early") { Description = "First RSS reading after this many updates", DefaultValueFactory = _ => 1_000 };
        var memoryLate = new Option<int>("--memory-updates-late") { Description = "Second RSS reading (0 skips the memory test)", DefaultValueFactory = _ => 10_000 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var threads = new Option<int>("--torch-threads") { Description = "libtorch CPU threads (0 = one per core)", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var checkpointing = new Option<string?>("--checkpointing")
        {
            Description = "Instead of the figures above: peak update memory and time per update at --depths with activation checkpointing off, on or both (--updates timed updates each)",
        };
        checkpointing.AcceptOnlyFromAmong("off", "on", "both");

        var trainer = new Command("trainer", "Time per update at depths 4/16/64 vs the matmul rate, env steps/s, RSS after 1k vs 10k updates")
        {
            depths, width, batch, updates, env, envCount, memoryEarly, memoryLate, device, threads, json, checkpointing,
        };
        trainer.SetAction((parse, cancellation) =>
        {
            var errors = new List<string>();
            var d = parse.GetValue(depths) ?? [];
            // The timed networks are a run's, so their sizes follow the run knobs' declarations.
            void Check(string flag, string property, params object?[] values)
            {
                var knob = CrlKnobs.Get(property);
                if (values.Length == 0 || !values.All(knob.Allows)) errors.Add($"{flag} must be {knob.Allowed}");
            }
            Check("--depths", nameof(CrlConfig.ActorDepth), [.. d.Cast<object?>()]);
            Check("--width", nameof(CrlConfig.ActorWidth), parse.GetValue(width));
            Check("--batch-size", nameof(CrlConfig.BatchSize), parse.GetValue(batch));
            if (parse.GetValue(updates) is < 1 or > 1_000_000) errors.Add("--updates must be in [1, 1000000]");
            if (parse.GetValue(envCount) is < 1 or > 1_000_000) errors.Add("--num-envs must be in [1, 1000000]");
            if (!Crl.Core.Environments.EnvRegistry.TryGet(parse.GetValue(env) ?? "", out _)) errors.Add($"--env must be one of {string.Join(", ", Crl.Core.Environments.EnvRegistry.Ids)}");
            var early = parse.GetValue(memoryEarly); var late = parse.GetValue(memoryLate);
            if (late < 0 || (late > 0 && (early < 1 || early >= late))) errors.Add("--memory-updates-early must be in [1, --memory-updates-late) and --memory-updates-late ≥ 0");
            Check("--device", nameof(CrlConfig.Device), parse.GetValue(device));
            Check("--torch-threads", nameof(CrlConfig.TorchThreads), parse.GetValue(threads));
            if (errors.Count > 0)
            {
                foreach (var e in errors) Console.Error.WriteLine(e);
                return Task.FromResult(2);
            }
            if (parse.GetValue(threads) > 0) TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            var asJson = parse.GetValue(json);
            if (parse.GetValue(checkpointing) is { } setting)
            {
                bool[] settings = setting switch { "off" => [false], "on" => [true], _ => [false, true] };
                var rows = CheckpointingBenchmark.Run(d, parse.GetValue(width), parse.GetValue(batch), parse.GetValue(updates), settings,
                    parse.GetValue(device)!, asJson ? null : Console.WriteLine, cancellation);
                if (asJson)
                    Console.WriteLine(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
                return Task.FromResult(0);
            }
            var result = TrainerBenchmark.Run(
                new TrainerBenchmarkConfig(d, parse.GetValue(width), parse.GetValue(batch), parse.GetValue(updates), parse.GetValue(env)!,
                    parse.GetValue(envCount), 2, early, late, 4, parse.GetValue(device)!),
                asJson ? null : Console.WriteLine, cancellation);
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            }
            else
            {
                Console.WriteLine();
                Console.WriteLine($"device {result.Device}, {result.TorchThreads} torch threads, {Environment.ProcessorCount} cores, load average {result.LoadAverageBefore} → {result.LoadAverageAfter}");
                Console.WriteLine($"dense matmul rate (best over 256³…2048³): {result.MatmulRateGflops:F1} GFLOP/s");
                foreach (var u in result.Updates)
                    Console.WriteLine($"depth {u.Depth,4}  width {u.Width}  batch {u.BatchSize}: {u.MillisecondsPerUpdate,8:F2} ms/update  {u.GflopsPerSecond,7:F1} GFLOP/s  {u.FractionOfMatmulRate,5:P0} of matmul");
                Console.WriteLine($"{result.Env} × {result.EnvCount} on one core: {result.EnvStepsPerSecond / 1e6:F2} M env steps/s");
                foreach (var m in result.Memory) Console.WriteLine($"RSS after {m.Updates,6} updates: {m.ResidentBytes / 1048576.0:F1} MiB");
                if (result.Memory.Count == 2) Console.WriteLine($"RSS growth: {result.MemoryGrowth:P1}");
            }
            return Task.FromResult(0);
        });
        return trainer;
    }
}

using System.CommandLine;
using System.Text.Json;
using Crl.Core.Torch;
using Crl.Core.Training;


namespace Crl.Benchmarks.Trainer;

/// <summary><c>trainer</c>: the throughput and memory figures of issues 4 and 16.</summary>
public static class TrainerCommand
{
    public static Command Create()
    {
        var depths = new Option<int[]>("--depths") { Description = "Depths to time (as --actor-depth)", DefaultValueFactory = _ => [.. TrainerBenchmarkConfig.PaperDepths], AllowMultipleArgumentsPerToken = true };
        var shapes = new Option<string[]>("--shapes") { Description = "Width x batch size of the timed networks, e.g. 256x256 64x64", DefaultValueFactory = _ => [.. TrainerBenchmarkConfig.DefaultShapes.Select(s => s.ToString())], AllowMultipleArgumentsPerToken = true };
        var updates = new Option<int>("--updates") { Description = "At most this many updates per timed round (a round lasts about --round-seconds; the fastest round counts)", DefaultValueFactory = _ => 10 };
        var roundSeconds = new Option<double>("--round-seconds") { Description = "Length of a timed round; deep networks time fewer updates per round", DefaultValueFactory = _ => 0.5 };
        var env = new Option<string>("--env") { Description = "Environment for the env-step rate", DefaultValueFactory = _ => "point_big_maze" };
        var envCount = new Option<int>("--num-envs") { Description = "Batched envs stepped on one core", DefaultValueFactory = _ => 512 };
        var memoryEarly = new Option<int>("--memory-updates-early") { Description = "First RSS reading after this many updates (depth 4, the last shape)", DefaultValueFactory = _ => 1_000 };
        var memoryLate = new Option<int>("--memory-updates-late") { Description = "Second RSS reading (0 skips the growth test)", DefaultValueFactory = _ => 10_000 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var threads = new Option<int[]>("--torch-threads") { Description = "libtorch CPU thread counts to time, e.g. 1 2 (0 = one per core)", DefaultValueFactory = _ => [1, 2], AllowMultipleArgumentsPerToken = true };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var checkpointing = new Option<string?>("--checkpointing")
        {
            Description = "Instead of the figures above: peak update memory and time per update at --depths, the first of --shapes and the first of --torch-threads with activation checkpointing off, on or both (--updates timed updates each)",
        };
        checkpointing.AcceptOnlyFromAmong("off", "on", "both");

        var trainer = new Command("trainer", "Time and peak memory per update at depths 4-1024 vs the matmul rate at 1 and 2 threads, env steps/s, RSS after 1k vs 10k updates")
        {
            depths, shapes, updates, roundSeconds, env, envCount, memoryEarly, memoryLate, device, threads, json, checkpointing,
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
            var s = new List<UpdateShape>();
            foreach (var text in parse.GetValue(shapes) ?? [])
            {
                if (UpdateShape.TryParse(text, out var shape)) s.Add(shape);
                else errors.Add($"--shapes takes WIDTHxBATCH such as 256x256; got '{text}'");
            }
            if (s.Count == 0) errors.Add("--shapes needs at least one WIDTHxBATCH");
            else
            {
                Check("--shapes (width)", nameof(CrlConfig.ActorWidth), [.. s.Select(x => (object?)x.Width)]);
                Check("--shapes (batch)", nameof(CrlConfig.BatchSize), [.. s.Select(x => (object?)x.BatchSize)]);
            }
            if (parse.GetValue(updates) is < 1 or > 1_000_000) errors.Add("--updates must be in [1, 1000000]");
            if (parse.GetValue(roundSeconds) is not (>= 0.01 and <= 600)) errors.Add("--round-seconds must be in [0.01, 600]");
            if (parse.GetValue(envCount) is < 1 or > 1_000_000) errors.Add("--num-envs must be in [1, 1000000]");
            if (!Crl.Core.Environments.EnvRegistry.TryGet(parse.GetValue(env) ?? "", out _)) errors.Add($"--env must be one of {string.Join(", ", Crl.Core.Environments.EnvRegistry.Ids)}");
            var early = parse.GetValue(memoryEarly); var late = parse.GetValue(memoryLate);
            if (late < 0 || (late > 0 && (early < 1 || early >= late))) errors.Add("--memory-updates-early must be in [1, --memory-updates-late) and --memory-updates-late ≥ 0");
            Check("--device", nameof(CrlConfig.Device), parse.GetValue(device));
            var t = parse.GetValue(threads) ?? [];
            Check("--torch-threads", nameof(CrlConfig.TorchThreads), [.. t.Cast<object?>()]);
            if (errors.Count > 0)
            {
                foreach (var e in errors) Console.Error.WriteLine(e);
                return Task.FromResult(2);
            }
            // A training process starts with NativeHeap's settings (Crl.Jobs' Program), so the timed updates do too.
            var heapKept = NativeHeap.KeepFreedMemory();
            var asJson = parse.GetValue(json);
            if (parse.GetValue(checkpointing) is { } setting)
            {
                TorchSharp.torch.set_num_threads(t.Length > 0 && t[0] > 0 ? t[0] : Environment.ProcessorCount);
                bool[] settings = setting switch { "off" => [false], "on" => [true], _ => [false, true] };
                var rows = CheckpointingBenchmark.Run(d, s[0].Width, s[0].BatchSize, parse.GetValue(updates), settings,
                    parse.GetValue(device)!, asJson ? null : Console.WriteLine, cancellation);
                if (asJson)
                    Console.WriteLine(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
                return Task.FromResult(0);
            }
            var result = TrainerBenchmark.Run(
                new TrainerBenchmarkConfig(d, s, [.. t.Select(n => n > 0 ? n : Environment.ProcessorCount)], parse.GetValue(updates), parse.GetValue(roundSeconds),
                    parse.GetValue(env)!, parse.GetValue(envCount), 2, early, late, 4, parse.GetValue(device)!, heapKept),
                asJson ? null : Console.WriteLine, cancellation);
            if (asJson) Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            else Print(result);
            return Task.FromResult(0);
        });
        return trainer;
    }

    static void Print(TrainerBenchmarkResult result)
    {
        Console.WriteLine();
        Console.WriteLine($"device {result.Device}, {Environment.ProcessorCount} cores, load average {result.LoadAverageBefore} → {result.LoadAverageAfter}, " +
            $"native heap {(result.NativeHeapKept ? "keeps freed memory" : "glibc defaults")}");
        foreach (var group in result.Matmul.GroupBy(m => m.TorchThreads))
            Console.WriteLine($"dense matmul rate, {group.Key} thread(s), best over {string.Join(", ", group.Select(m => $"{m.Size}³"))}: {group.Max(m => m.GflopsPerSecond):F1} GFLOP/s ({group.Max(m => m.GflopsPerCpuSecond):F1} per CPU second)");
        Console.WriteLine();
        Console.WriteLine("threads  depth  width  batch   ms/update  GFLOP/s  of matmul  goal       (on CPU time)  lone trunk  peak update memory");
        foreach (var u in result.Updates)
        {
            var goal = u.Goal is { } g ? $"≥{g,4:P0} {(u.MeetsGoal == true ? "met" : "not")}" : "";
            var peak = PeakMemory.Mib(u.PeakUpdateBytes, width: 12, decimals: 1);
            Console.WriteLine($"{u.TorchThreads,7}  {u.Depth,5}  {u.Width,5}  {u.BatchSize,5}  {u.MillisecondsPerUpdate,10:F2}  {u.GflopsPerSecond,7:F1}  {u.FractionOfMatmulRate,9:P0}  {goal,-9}  {u.CpuFractionOfMatmulRate,13:P0}  {u.TrunkFractionOfMatmulRate,10:P0}  {peak}");
        }
        if (result.Updates.Any(u => u.GoalAboveCeiling == true))
            Console.WriteLine("lone trunk: the share one residual trunk's forward + backward reaches alone, the ceiling of the update's; " +
                $"goals above it ({string.Join(", ", result.Updates.Where(u => u.GoalAboveCeiling == true).Select(u => $"{u.TorchThreads}t {u.Width}x{u.BatchSize} depth {u.Depth}"))}) are out of the update's reach");
        Console.WriteLine();
        Console.WriteLine($"{result.Env} × {result.EnvCount} on one core: {result.EnvStepsPerSecond / 1e6:F2} M env steps/s");
        foreach (var m in result.Memory) Console.WriteLine($"RSS after {m.Updates,6} updates (depth 4, {result.MemoryShape}): {PeakMemory.Mib(m.ResidentBytes, decimals: 1)}");
        if (result.Memory.Count == 2) Console.WriteLine($"RSS growth: {result.MemoryGrowth:P1}");
    }
}

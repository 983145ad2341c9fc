using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Crl.Core.Environments.MuJoCo;

namespace Crl.Benchmarks.Envs;

/// <summary>
/// <c>envs</c>: env steps per second of each MuJoCo task, batched on all cores, next to a bare mj_step loop on
/// the same model in the same process; prints the wrapper's one-core overhead (goal ≤ 10 %) and its two-core
/// speed-up (goal ≥ 1.7×), as issue 5 asks.
/// </summary>
public static class EnvsCommand
{
    /// <summary>The paper's training tasks; the <c>_eval</c> variants share their physics.</summary>
    private static readonly string[] DefaultTasks =
    [
        "ant", "ant_big_maze", "ant_u4_maze", "ant_u5_maze", "ant_hardest_maze", "humanoid", "humanoid_u_maze",
        "humanoid_big_maze", "arm_push_easy", "arm_push_hard", "arm_binpick_hard",
    ];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create()
    {
        var tasks = new Option<string[]>("--tasks") { Description = "Task ids (default: the paper's training tasks)", AllowMultipleArgumentsPerToken = true };
        var envs = new Option<int>("--envs") { Description = "Environments per batch", DefaultValueFactory = _ => 256 };
        var seconds = new Option<double>("--seconds") { Description = "Seconds per measurement", DefaultValueFactory = _ => 2.0 };
        var repeats = new Option<int>("--repeats") { Description = "Alternating repetitions; the best of each is kept", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table" };
        var command = new Command("envs", "Env steps per second of the MuJoCo tasks, wrapper against a bare mj_step loop")
        {
            tasks, envs, seconds, repeats, json,
        };
        command.SetAction(parse => Run(
            parse.GetValue(tasks) is { Length: > 0 } chosen ? chosen : DefaultTasks,
            parse.GetValue(envs), TimeSpan.FromSeconds(parse.GetValue(seconds)), parse.GetValue(repeats), parse.GetValue(json)));
        return command;
    }

    private static int Run(string[] tasks, int envs, TimeSpan duration, int repeats, bool json)
    {
        var mujoco = MujocoLibrary.Shared;
        if (mujoco.Library is not { } library)
        {
            Console.Error.WriteLine($"envs: {mujoco.Reason}");
            return 2;
        }
        var unknown = tasks.Except(MujocoTasks.Ids).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"envs: unknown task(s) {string.Join(", ", unknown)}; known: {string.Join(", ", MujocoTasks.Ids)}");
            return 2;
        }
        if (!json)
        {
            Console.WriteLine($"MuJoCo {library.Version}, {Environment.ProcessorCount} cores, load average {LoadAverage()}, {envs} envs, {duration.TotalSeconds:0.#} s × {repeats} per measurement");
            Console.WriteLine("env steps per wall-clock second; overhead compares CPU time per env step (wrapper vs bare loop, one core);");
            Console.WriteLine("cpu eff = env steps per CPU-second on two workers over one (1.00: the second thread costs nothing extra);");
            Console.WriteLine("raw ×2 = the bare loop's own speed-up on two plain threads, the same run's measure of what the second core gives;");
            Console.WriteLine("of raw = the wrapper's speed-up over the bare loop's (1.00: the wrapper scales as well as the machine allows)");
            Console.WriteLine($"{"task",-18} {"raw 1 core",11} {"wrap 1 core",12} {"overhead",9} {"wrap 2 cores",13} {"speed-up",9} {"raw ×2",7} {"of raw",7} {"cpu eff",8} {"all cores",10}");
        }
        var results = new List<TaskThroughput>();
        foreach (var task in tasks)
        {
            var r = StepThroughput.Measure(library, task, envs, duration, repeats);
            results.Add(r);
            if (!json)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Task,-18} {r.RawOneCore.Wall,11:0} {r.WrapperOneCore.Wall,12:0} {r.OverheadPercent,8:0.0}% {(r.WrapperTwoCores is { } t ? t.Wall.ToString("0", CultureInfo.InvariantCulture) : "-"),13} {(r.TwoCoreSpeedup is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "-"),9} {(r.RawTwoCoreSpeedup is { } rs ? rs.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "-"),7} {(r.SpeedupOfRawSpeedup is { } of ? of.ToString("0.00", CultureInfo.InvariantCulture) : "-"),7} {(r.TwoCoreCpuEfficiency is { } e ? e.ToString("0.00", CultureInfo.InvariantCulture) : "-"),8} {r.WrapperAllCores.Wall,10:0}"));
        }
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(results.Select(r => new
            {
                r.Task, r.Envs, r.Cores,
                RawStepsPerSecondOneCore = r.RawOneCore.Wall,
                RawStepsPerCpuSecond = r.RawOneCore.Cpu,
                StepsPerSecondOneCore = r.WrapperOneCore.Wall,
                StepsPerCpuSecondOneCore = r.WrapperOneCore.Cpu,
                StepsPerSecondTwoCores = r.WrapperTwoCores?.Wall,
                StepsPerSecondAllCores = r.WrapperAllCores.Wall,
                r.OverheadPercent,
                r.TwoCoreSpeedup,
                RawStepsPerSecondTwoCores = r.RawTwoCores?.Wall,
                r.RawTwoCoreSpeedup,
                r.SpeedupOfRawSpeedup,
                r.TwoCoreCpuEfficiency,
                LoadAverage = LoadAverage(),
            }), Json));
        }
        return 0;
    }

    /// <summary>The 1-minute load average: on the shared machines here, other work decides the wall-clock figures.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}

using System.CommandLine;
using System.Text.Json;
using Crl.Core.Checkpoints;
using Crl.Core.Training;
using Crl.Jobs.Runs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Crl.Jobs.Cli;

/// <summary><c>train</c>: one CRL run in this process, with metrics.csv, config.json, checkpoints and (maze tasks)
/// trajectories.json under --out.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var knobs = new ConfigOptions();
        var output = new Option<string?>("--out") { Description = "Directory for metrics.csv, config.json, checkpoints/, policy.safetensors and (maze tasks) trajectories.json" };
        var resume = new Option<string?>("--resume") { Description = "Continue from a checkpoint directory (e.g. OUT/checkpoints/latest); knob flags other than --device are refused" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress lines" };
        var command = new Command("train", "Train scaled contrastive RL (algorithm.md §3) on one environment") { output, resume, quiet };
        knobs.AddTo(command);
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse, knobs, output, resume, quiet, cancellation)));
        return command;
    }

    static int Run(ParseResult parse, ConfigOptions knobs, Option<string?> outputOption, Option<string?> resumeOption, Option<bool> quietOption, CancellationToken cancellation)
    {
        var output = parse.GetValue(outputOption);
        var resumeFrom = parse.GetValue(resumeOption);
        var quiet = parse.GetValue(quietOption);
        CrlTrainer trainer;
        if (resumeFrom is not null)
        {
            var deviceFlag = parse.GetValue<string?>(CrlKnobs.Get(nameof(CrlConfig.Device)).Flag);
            var state = CrlCheckpoint.ReadState(resumeFrom);
            var (probe, _) = knobs.Bind(parse, state.Config);
            if (probe is null || probe with { Device = state.Config.Device } != state.Config)
            {
                Console.Error.WriteLine("--resume continues the checkpoint's own config; only --device may be given with it");
                return 2;
            }
            trainer = CrlTrainer.Resume(resumeFrom, deviceFlag);
        }
        else
        {
            var (config, errors) = knobs.Bind(parse);
            if (config is null)
            {
                foreach (var e in errors) Console.Error.WriteLine(e);
                return 2;
            }
            trainer = new CrlTrainer(config, NullLogger.Instance);
        }

        using (trainer)
        {
            MetricsCsv? csv = null;
            string? trajectories = null;
            if (output is not null)
            {
                Directory.CreateDirectory(output);
                File.WriteAllText(Path.Combine(output, "config.json"), JsonSerializer.Serialize(trainer.Config, CrlCheckpoint.Json));
                csv = new MetricsCsv(Path.Combine(output, "metrics.csv"), resumeFrom is null ? null : trainer.Counters.Epoch);
                trajectories = Path.Combine(output, TrajectoryFile.FileName);
                TrajectoryFile.DropAfter(trajectories, resumeFrom is null ? -1 : trainer.Counters.EnvSteps);
            }
            using (csv)
            {
                var observer = new ConsoleProgress(trainer.Config, csv, trajectories, quiet);
                try
                {
                    trainer.Run(observer, cancellation, output is null ? null : Path.Combine(output, "checkpoints"));
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine("cancelled");
                    return 130;
                }
            }
            if (output is not null) PolicyExport.Save(Path.Combine(output, PolicyExport.FileName), trainer.Agent, trainer.Config.Env, CrlCheckpoint.ConfigJson(trainer.Config));
            return 0;
        }
    }

    /// <summary>
    /// Progress line per epoch (SPS, latest time at goal, elapsed and time left), CSV rows and the latest evaluation's
    /// paths. Time left comes from the rate this process has trained at: a resumed run's earlier processes and every
    /// process's prefill do not count.
    /// </summary>
    sealed class ConsoleProgress(CrlConfig config, MetricsCsv? csv, string? trajectoriesPath, bool quiet) : ITrainingObserver
    {
        private (double Progress, double Wall)? measuredFrom;
        private RunTiming timing;

        private void Measure(double progress, double wall)
        {
            measuredFrom ??= (progress, wall);
            var (p0, w0) = measuredFrom.Value;
            timing = RunTiming.Of(TimeSpan.FromSeconds(wall), progress, TimeSpan.FromSeconds(wall - w0), progress - p0);
        }

        public void OnMetrics(MetricReport report)
        {
            csv?.Write(report);
            if (trajectoriesPath is not null && report.Trajectories is { } trajectories)
                TrajectoryFile.Write(trajectoriesPath, new StoredTrajectories(report.Epoch, report.EnvSteps, trajectories));
            if (quiet) return;
            var v = report.Values;
            string Get(string name, string format) => v.TryGetValue(name, out var x) ? x.ToString(format) : "-";
            var total = config.NumEpochs;
            if (report.Epoch > 0) Measure((double)report.Epoch / total, report.WallTimeSeconds);
            else timing = timing with { Elapsed = TimeSpan.FromSeconds(report.WallTimeSeconds) };
            var filled = (int)Math.Round(20.0 * report.Epoch / total);
            Console.WriteLine(
                $"[{new string('#', filled)}{new string('.', 20 - filled)}] epoch {report.Epoch}/{total}  env steps {report.EnvSteps:N0}  " +
                $"sps {Get(MetricNames.Sps, "F0")}  time at goal {Get(MetricNames.EpisodeSuccess, "F1")}  " +
                $"success any {Get(MetricNames.EpisodeSuccessAny, "F2")}  critic loss {Get(MetricNames.CriticLoss, "F3")}  " +
                $"acc {Get(MetricNames.CategoricalAccuracy, "F3")}  alpha {Get(MetricNames.Alpha, "F4")}  {timing}");
        }

        private long stepsAtEpochStart = -1;
        private double wallAtEpochStart;

        public void OnTrainingStep(TrainingCounters counters, int epochIndex, long stepInEpoch)
        {
            // Measured from the first training step on, so the prefill before it does not slow the rate.
            Measure((epochIndex + (double)stepInEpoch / config.TrainingStepsPerEpoch) / config.NumEpochs, counters.WallTimeSeconds);
            if (quiet) return;
            if (stepInEpoch == 1 || stepsAtEpochStart < 0)
            {
                stepsAtEpochStart = counters.EnvSteps - config.EnvStepsPerTrainingStep;
                wallAtEpochStart = counters.WallTimeSeconds;
            }
            var sps = (counters.EnvSteps - stepsAtEpochStart) / Math.Max(1e-9, counters.WallTimeSeconds - wallAtEpochStart);
            Console.Write($"\r  epoch {epochIndex + 1}: training step {stepInEpoch}/{config.TrainingStepsPerEpoch}  env steps {counters.EnvSteps:N0}  updates {counters.Updates:N0}  ~{sps:F0} env steps/s  {timing}   ");
            if (stepInEpoch == config.TrainingStepsPerEpoch) Console.Write("\r" + new string(' ', 150) + "\r");
        }

        public void OnCheckpoint(CheckpointWritten checkpoint)
        {
            if (!quiet && checkpoint.Kept) Console.WriteLine($"  checkpoint {checkpoint.Directory}");
        }
    }
}

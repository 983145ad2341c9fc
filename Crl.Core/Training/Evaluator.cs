using Crl.Core.Environments;
using Crl.Core.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Crl.Core.Training;

/// <summary>Per-epoch evaluation results (algorithm.md §4), averaged over the eval episodes.</summary>
/// <param name="TimeAtGoal">Mean number of steps within the success radius — <c>eval/episode_success</c>.</param>
/// <param name="SuccessAny">Fraction of episodes with at least one success step — <c>eval/episode_success_any</c>.</param>
/// <param name="EpisodeDist">Mean of the per-episode sum of distances to the goal — <c>eval/episode_dist</c>.</param>
/// <param name="AvgEpisodeLength">Mean steps until the episode ended.</param>
/// <param name="Trajectories">The first few episodes' paths over the walls, for maze tasks; null otherwise.</param>
public sealed record EvaluationResult(double TimeAtGoal, double SuccessAny, double EpisodeDist, double AvgEpisodeLength, double Seconds, long EnvSteps,
    EvalTrajectories? Trajectories = null);

/// <summary>
/// Brax's EvalWrapper protocol (algorithm.md §4, environments.md §4.1): freshly reset eval envs, one episode each with the
/// deterministic actor tanh(μ) unless the run asks for another action selection; every per-step metric is summed while the episode is still active.
/// </summary>
public sealed class Evaluator : IDisposable
{
    private readonly IVectorEnv env;
    private readonly float[] observationCopy;
    private readonly float[] actions;
    private readonly double[] successSum, distSum, length;
    private readonly bool[] active;
    private readonly TrajectoryRecorder? trajectories;

    public Evaluator(IVectorEnv env)
    {
        this.env = env;
        trajectories = TrajectoryRecorder.For(env);
        observationCopy = new float[env.NumEnvs * env.Spec.ObservationDim];
        actions = new float[env.NumEnvs * env.Spec.ActionDim];
        successSum = new double[env.NumEnvs];
        distSum = new double[env.NumEnvs];
        length = new double[env.NumEnvs];
        active = new bool[env.NumEnvs];
    }

    /// <summary>One episode per eval env with the deterministic actor tanh(μ).</summary>
    public EvaluationResult Run(GaussianActor actor, Device device, ulong seed) => Run(actor.Deterministic, device, seed);

    /// <summary>One episode per eval env, acting with <paramref name="policy"/> (observations → actions, on <paramref name="device"/>).</summary>
    public EvaluationResult Run(Func<Tensor, Tensor> policy, Device device, ulong seed)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        env.Reset(seed);
        Array.Clear(successSum); Array.Clear(distSum); Array.Clear(length);
        Array.Fill(active, true);
        trajectories?.Clear();
        int n = env.NumEnvs;
        long[] shape = [n, env.Spec.ObservationDim];
        using (no_grad())
        {
            for (int t = 0; t < env.EpisodeLength; t++)
            {
                trajectories?.Record(env.Observations, active);
                using (var scope = NewDisposeScope())
                {
                    env.Observations.CopyTo(observationCopy);
                    var observation = tensor(observationCopy, shape).to(device);
                    var action = policy(observation).cpu();
                    action.data<float>().CopyTo(actions);
                }
                env.Step(actions);
                var success = env.Success; var distance = env.Distance; var done = env.Done;
                for (int i = 0; i < n; i++)
                {
                    if (!active[i]) continue;
                    successSum[i] += success[i];
                    distSum[i] += distance[i];
                    length[i] += 1;
                    if (done[i]) active[i] = false;
                }
            }
        }
        return new EvaluationResult(
            TimeAtGoal: successSum.Average(),
            SuccessAny: successSum.Count(s => s > 0) / (double)n,
            EpisodeDist: distSum.Average(),
            AvgEpisodeLength: length.Average(),
            Seconds: clock.Elapsed.TotalSeconds,
            EnvSteps: (long)n * env.EpisodeLength,
            Trajectories: trajectories?.Result(successSum));
    }

    /// <summary>MuJoCo tasks hold worker threads and native memory per environment batch.</summary>
    public void Dispose() => (env as IDisposable)?.Dispose();
}

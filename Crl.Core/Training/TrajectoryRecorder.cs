using Crl.Core.Environments;
using Crl.Core.Environments.Mazes;

namespace Crl.Core.Training;

/// <summary>
/// Keeps the x-y path of the first <see cref="Episodes"/> eval episodes of a maze task in arrays sized once, so an
/// evaluation step costs a few float copies and no allocation.
/// </summary>
internal sealed class TrajectoryRecorder
{
    /// <summary>A handful of paths reads on a top view; all 256 eval episodes would be a tangle.</summary>
    public const int Episodes = 8;

    private readonly string env;
    private readonly MazeGeometry maze;
    private readonly string[] walls;
    private readonly int count, length, stateDim, observationDim;
    private readonly float[] x, y, goalX, goalY;
    private readonly int[] steps;

    private TrajectoryRecorder(IVectorEnv env, MazeGeometry maze)
    {
        this.env = env.Spec.Id;
        this.maze = maze;
        count = Math.Min(Episodes, env.NumEnvs);
        length = env.EpisodeLength;
        stateDim = env.Spec.StateDim;
        observationDim = env.Spec.ObservationDim;
        x = new float[count * length];
        y = new float[count * length];
        goalX = new float[count];
        goalY = new float[count];
        steps = new int[count];
        var layout = maze.Layout;
        walls = [.. Enumerable.Range(0, layout.Rows)
            .Select(i => new string([.. Enumerable.Range(0, layout.Columns).Select(j => layout.IsWall(i, j) ? '#' : '.')]))];
    }

    /// <summary>A recorder for maze tasks; null for every other task.</summary>
    public static TrajectoryRecorder? For(IVectorEnv env) =>
        env is IMazeEnv { Maze: { } maze } ? new TrajectoryRecorder(env, maze) : null;

    public void Clear() => Array.Clear(steps);

    /// <summary>Adds the position each still-running episode acts from (x, y = state[0:2], goal after the state).</summary>
    public void Record(ReadOnlySpan<float> observations, ReadOnlySpan<bool> active)
    {
        for (int i = 0; i < count; i++)
        {
            if (!active[i]) continue;
            int o = i * observationDim;
            if (steps[i] == 0)
            {
                goalX[i] = observations[o + stateDim];
                goalY[i] = observations[o + stateDim + 1];
            }
            int at = i * length + steps[i]++;
            x[at] = observations[o];
            y[at] = observations[o + 1];
        }
    }

    /// <param name="successSum">Per eval env, the steps it spent within the success radius.</param>
    public EvalTrajectories Result(ReadOnlySpan<double> successSum)
    {
        var paths = new EvalPath[count];
        for (int i = 0; i < count; i++)
            paths[i] = new EvalPath(goalX[i], goalY[i], successSum[i] > 0,
                x.AsSpan(i * length, steps[i]).ToArray(), y.AsSpan(i * length, steps[i]).ToArray());
        var layout = maze.Layout;
        return new EvalTrajectories(env, layout.Name, maze.CellSize, walls, layout.Start.Row, layout.Start.Column, paths);
    }
}

namespace Crl.Core.Environments.Mazes;

/// <summary>
/// A velocity-controlled point (a disc) in the ant-maze layouts — the cheap stand-in that environments.md §8
/// recommends: same cell→world map (s = 4 m), same goal sampling (a uniformly random G-cell centre, no jitter),
/// same start (R-cell centre + U(−0.1, 0.1) noise on x and y), success radius 0.5, state (x, y, vx, vy),
/// goal = state[0:2]. Walls block movement: x then y are moved separately, and a move that would make the disc
/// overlap a wall cell is cancelled on that axis (its velocity component reads 0).
/// </summary>
public sealed class PointMaze : VectorEnv, IMazeEnv
{
    public const double CellSize = 4.0;
    public const double SuccessRadius = 0.5;
    /// <summary>environments.md §8 suggests v_max ≈ 2 m/s with dt 0.05 s: 0.1 m per step, 10 steps per metre.</summary>
    public const double MaxSpeed = 2.0;
    public const double Dt = 0.05;
    /// <summary>JaxGCRL's simple_maze point sphere has radius 0.25.</summary>
    public const double Radius = 0.25;
    public const double ResetNoise = 0.1;
    public const int StateDim = 4, GoalDim = 2, ActionDim = 2;

    private readonly MazeLayout layout;
    private readonly (int Row, int Column)[] goalCells;

    public PointMaze(string id, MazeLayout layout, MazeLayout goalSet, int numEnvs, int episodeLength, AutoResetMode resetMode = AutoResetMode.FirstState)
        : base(SpecFor(id, layout, goalSet, episodeLength), numEnvs, episodeLength, resetMode)
    {
        if (layout.Rows != goalSet.Rows || layout.Columns != goalSet.Columns)
            throw new ArgumentException($"goal set '{goalSet.Name}' does not fit layout '{layout.Name}'", nameof(goalSet));
        this.layout = layout;
        goalCells = [.. goalSet.GoalCells];
        Maze = new MazeGeometry(layout, CellSize);
    }

    public static EnvSpec SpecFor(string id, MazeLayout layout, MazeLayout goalSet, int episodeLength) => new(
        id, StateDim, GoalDim, ActionDim, GoalStart: 0, episodeLength, SuccessRadius,
        $"point mass in the {layout.Name} maze ({layout.Rows}×{layout.Columns} cells of {CellSize} m), {goalSet.GoalCells.Count} goal cells");

    public MazeLayout Layout => layout;

    public MazeGeometry Maze { get; }

    MazeGeometry? IMazeEnv.Maze => Maze;

    /// <summary>World position of a cell centre.</summary>
    public static (double X, double Y) CellCentre(int row, int column) => (row * CellSize, column * CellSize);

    /// <summary>Overwrite one slot's position (tests place the point next to a wall).</summary>
    public void Place(int env, double x, double y)
    {
        states[env * StateDim] = (float)x;
        states[env * StateDim + 1] = (float)y;
        states[env * StateDim + 2] = 0;
        states[env * StateDim + 3] = 0;
    }

    /// <summary>Whether a disc of <see cref="Radius"/> centred at (x, y) overlaps a wall cell.</summary>
    public bool Blocked(double x, double y)
    {
        const double half = CellSize / 2;
        int i0 = (int)Math.Floor((x - Radius + half) / CellSize), i1 = (int)Math.Floor((x + Radius + half) / CellSize);
        int j0 = (int)Math.Floor((y - Radius + half) / CellSize), j1 = (int)Math.Floor((y + Radius + half) / CellSize);
        for (int i = i0; i <= i1; i++)
            for (int j = j0; j <= j1; j++)
            {
                if (!layout.IsWall(i, j)) continue;
                // Closest point of the wall square to the disc centre.
                var cx = Math.Clamp(x, i * CellSize - half, i * CellSize + half);
                var cy = Math.Clamp(y, j * CellSize - half, j * CellSize + half);
                var dx = x - cx; var dy = y - cy;
                if (dx * dx + dy * dy < Radius * Radius) return true;
            }
        return false;
    }

    protected override void SampleStart(int env, Span<float> state, Span<float> goal)
    {
        var (sx, sy) = CellCentre(layout.Start.Row, layout.Start.Column);
        state[0] = (float)(sx + rng.NextDouble(-ResetNoise, ResetNoise));
        state[1] = (float)(sy + rng.NextDouble(-ResetNoise, ResetNoise));
        state[2] = 0;
        state[3] = 0;
        var (gi, gj) = goalCells[rng.NextInt(goalCells.Length)];
        var (gx, gy) = CellCentre(gi, gj);
        goal[0] = (float)gx;
        goal[1] = (float)gy;
    }

    protected override void Advance(ReadOnlySpan<float> actions)
    {
        const double step = MaxSpeed * Dt;
        for (int i = 0; i < NumEnvs; i++)
        {
            int o = i * StateDim;
            double x = states[o], y = states[o + 1];
            double ax = Math.Clamp(actions[2 * i], -1f, 1f), ay = Math.Clamp(actions[2 * i + 1], -1f, 1f);
            double nx = x + step * ax;
            if (Blocked(nx, y)) { nx = x; ax = 0; }
            double ny = y + step * ay;
            if (Blocked(nx, ny)) { ny = y; ay = 0; }
            states[o] = (float)nx;
            states[o + 1] = (float)ny;
            states[o + 2] = (float)(MaxSpeed * ax);
            states[o + 3] = (float)(MaxSpeed * ay);
            double dx = nx - goals[2 * i], dy = ny - goals[2 * i + 1];
            var d = Math.Sqrt(dx * dx + dy * dy);
            distance[i] = (float)d;
            success[i] = d < SuccessRadius ? 1f : 0f;
        }
    }
}

using Crl.Core.Environments.Mazes;
using Crl.Core.Environments.MuJoCo.Models;

namespace Crl.Core.Environments.MuJoCo.Tasks;

/// <summary>
/// <c>ant</c> and the ant mazes (environments.md §5.3–5.4). State (29) = q[0:15] + q̇[0:14] (torso pose, 8 leg angles,
/// their velocities; the target's slide joints are left out); goal (2) = torso x, y; 8 actions into the motors at
/// control ±1. Start: Brax's init_qpos (with the R-cell centre as x, y in mazes) + U(±0.1) on every q entry, the
/// quaternion renormalised, q̇ = 0.1·N(0, 1). Goal: on the circle of radius 10 (open floor) or a uniformly chosen
/// G-cell centre of the goal set (mazes, cells of 4 m). Success within 0.5 m; the episode ends when the torso
/// leaves z ∈ [0.2, 1.0].
/// One deliberate difference: at init_qpos the feet just touch the floor, so the noise can start a foot up to ~0.1 m
/// inside it. Brax's spring contacts absorb that; MuJoCo's stiff contacts launch the ant, and 39 of 256 slots flipped
/// within 200 zero-action steps when measured here — slots that <see cref="AutoResetMode.FirstState"/> would replay
/// for a whole run. The torso is therefore raised by the deepest foot penetration (only when there is one).
/// </summary>
public sealed class AntTask : MujocoVectorEnv, IMazeEnv
{
    public const int StateDim = 29, GoalDim = 2, ActionDim = 8;
    public const double SuccessRadius = 0.5, CellSize = 4.0, GoalCircleRadius = 10, ResetNoise = 0.1;
    public const double MinHealthyZ = 0.2, MaxHealthyZ = 1.0;

    private readonly MazeLayout? layout;
    private readonly (int Row, int Column)[] goalCells;
    private readonly double[] initQpos;
    private readonly int targetQpos, targetDof;
    private readonly int[] feet;
    private const double FootRadius = 0.08;

    public AntTask(MujocoLibrary library, string id, MazeLayout? layout, MazeLayout? goalSet, int numEnvs, int episodeLength,
        AutoResetMode resetMode = AutoResetMode.FirstState, int workerThreads = 0)
        : base(SpecFor(id, layout, goalSet, episodeLength), MujocoModel.FromMjcf(library, AntMjcf.Build(layout, CellSize)),
            AntMjcf.FrameSkip, observationNeedsKinematics: false, numEnvs, episodeLength, resetMode,
            workerThreads > 0 ? workerThreads : Environment.ProcessorCount)
    {
        this.layout = layout;
        Maze = layout is null ? null : new MazeGeometry(layout, CellSize);
        goalCells = goalSet is null ? [] : [.. goalSet.GoalCells];
        // Brax starts from the init_qpos numeric, which MuJoCo itself ignores (§4.2).
        initQpos = model.Numeric("init_qpos") ?? throw new InvalidOperationException("the ant model lacks its init_qpos numeric");
        targetQpos = model.JointQposAddress(model.JointId("target_x"));
        targetDof = model.JointDofAddress(model.JointId("target_x"));
        feet = [.. Enumerable.Range(1, 4).Select(n => model.GeomId($"foot_{n}_geom"))];
    }

    public static EnvSpec SpecFor(string id, MazeLayout? layout, MazeLayout? goalSet, int episodeLength) => new(
        id, StateDim, GoalDim, ActionDim, GoalStart: 0, episodeLength, SuccessRadius,
        layout is null
            ? "MuJoCo ant, goal on a 10 m circle"
            : $"MuJoCo ant in the {layout.Name} maze ({layout.Rows}×{layout.Columns} cells of {CellSize} m), {goalSet!.GoalCells.Count} goal cells");

    public MazeLayout? Layout => layout;

    public MazeGeometry? Maze { get; }

    protected override void PlaceStart(int env, MujocoData d, Span<float> goal, double[] scratch)
    {
        if (layout is null)
        {
            var angle = 2 * Math.PI * rng.NextDouble();
            goal[0] = (float)(GoalCircleRadius * Math.Cos(angle));
            goal[1] = (float)(GoalCircleRadius * Math.Sin(angle));
        }
        else
        {
            var (gx, gy) = MazeWalls.CellCentre(goalCells[rng.NextInt(goalCells.Length)], CellSize);
            goal[0] = (float)gx;
            goal[1] = (float)gy;
        }

        var q = scratch;
        initQpos.CopyTo(q, 0);
        if (layout is not null) (q[0], q[1]) = MazeWalls.CellCentre(layout.Start, CellSize);
        for (int k = 0; k < targetQpos; k++) q[k] += rng.NextDouble(-ResetNoise, ResetNoise);
        var norm = Math.Sqrt(q[3] * q[3] + q[4] * q[4] + q[5] * q[5] + q[6] * q[6]);
        for (int k = 3; k < 7; k++) q[k] /= norm;
        q[targetQpos] = goal[0];
        q[targetQpos + 1] = goal[1];
        d.Write(MjArray.Qpos, 0, q, 0, model.Nq);
        var qd = scratch;
        Array.Clear(qd, 0, model.Nv);
        for (int k = 0; k < targetDof; k++) qd[k] = 0.1 * rng.NextGaussian();
        d.Write(MjArray.Qvel, 0, qd, 0, model.Nv);
        d.Kinematics();
        double lowest = double.PositiveInfinity;
        foreach (var foot in feet) lowest = Math.Min(lowest, d.Get(MjArray.GeomXpos, 3 * foot + 2) - FootRadius);
        if (lowest < 0) d.Set(MjArray.Qpos, 2, d.Get(MjArray.Qpos, 2) - lowest);
    }

    protected override void ApplyAction(int env, ReadOnlySpan<float> action, MujocoData d, double[] scratch)
    {
        for (int k = 0; k < ActionDim; k++) scratch[k] = Math.Clamp(action[k], -1f, 1f);
        d.Write(MjArray.Ctrl, 0, scratch, 0, ActionDim);
    }

    protected override void WriteState(int env, MujocoData d, double[] scratch, Span<float> state)
    {
        d.Read(MjArray.Qpos, 0, scratch, 0, targetQpos);
        Copy(scratch, targetQpos, state);
        d.Read(MjArray.Qvel, 0, scratch, 0, targetDof);
        Copy(scratch, targetDof, state[targetQpos..]);
    }

    public override (double Min, double Max)? HealthyTorsoHeight => (MinHealthyZ, MaxHealthyZ);
}

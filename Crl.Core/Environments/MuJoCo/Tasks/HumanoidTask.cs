using Crl.Core.Environments.Mazes;
using Crl.Core.Environments.MuJoCo.Models;

namespace Crl.Core.Environments.MuJoCo.Tasks;

/// <summary>
/// <c>humanoid</c> and the humanoid mazes (environments.md §5.1–5.2). State (268) = q (26, including the target's
/// x, y) + q̇ (25) + cinert of the 12 non-world bodies (120) + cvel of those bodies (72) + qfrc_actuator (25);
/// goal (3) = torso x, y, z. 17 actions scaled to the motors' ±0.4 control range. Start: the model's rest pose
/// (torso at z 1.4, joints at 0, q̇ = 0), at the R-cell centre in mazes (cells of 2 m), no noise. Goal: distance
/// U(1, 5) m at a uniform angle around the origin, or a uniformly chosen G-cell centre; z = 1.25. Success within
/// 0.5 m; the episode ends when the torso leaves z ∈ [1.0, 2.0].
/// </summary>
public sealed class HumanoidTask : MujocoVectorEnv, IMazeEnv
{
    public const int StateDim = 268, GoalDim = 3, ActionDim = 17;
    public const int Links = 12;
    public const double SuccessRadius = 0.5, MinGoalDistance = 1, MaxGoalDistance = 5;
    public const double MinHealthyZ = 1.0, MaxHealthyZ = 2.0;

    private readonly MazeLayout? layout;
    private readonly (int Row, int Column)[] goalCells;
    private readonly int targetQpos;

    public HumanoidTask(MujocoLibrary library, string id, MazeLayout? layout, MazeLayout? goalSet, int numEnvs, int episodeLength,
        AutoResetMode resetMode = AutoResetMode.FirstState, int workerThreads = 0)
        : base(SpecFor(id, layout, goalSet, episodeLength), MujocoModel.FromMjcf(library, HumanoidMjcf.Build(layout)),
            HumanoidMjcf.FrameSkip, observationNeedsKinematics: true, numEnvs, episodeLength, resetMode,
            workerThreads > 0 ? workerThreads : Environment.ProcessorCount)
    {
        if (model.Nbody != Links + 1 || model.Nq + model.Nv + 16 * Links + model.Nv != StateDim)
            throw new InvalidOperationException($"humanoid model has {model.Nbody} bodies, nq {model.Nq}, nv {model.Nv}: not the fused 268-dim layout");
        this.layout = layout;
        Maze = layout is null ? null : new MazeGeometry(layout, HumanoidMjcf.MazeCellSize);
        goalCells = goalSet is null ? [] : [.. goalSet.GoalCells];
        targetQpos = model.JointQposAddress(model.JointId("target_x"));
    }

    public static EnvSpec SpecFor(string id, MazeLayout? layout, MazeLayout? goalSet, int episodeLength) => new(
        id, StateDim, GoalDim, ActionDim, GoalStart: 0, episodeLength, SuccessRadius,
        layout is null
            ? "MuJoCo humanoid, goal 1–5 m away at torso height"
            : $"MuJoCo humanoid in the {layout.Name} maze ({layout.Rows}×{layout.Columns} cells of {HumanoidMjcf.MazeCellSize} m), {goalSet!.GoalCells.Count} goal cells");

    public MazeLayout? Layout => layout;

    public MazeGeometry? Maze { get; }

    protected override void PlaceStart(int env, MujocoData d, Span<float> goal, double[] scratch)
    {
        if (layout is null)
        {
            var r = rng.NextDouble(MinGoalDistance, MaxGoalDistance);
            var angle = rng.NextDouble(0, 2 * Math.PI);
            goal[0] = (float)(r * Math.Cos(angle));
            goal[1] = (float)(r * Math.Sin(angle));
        }
        else
        {
            var (gx, gy) = MazeWalls.CellCentre(goalCells[rng.NextInt(goalCells.Length)], HumanoidMjcf.MazeCellSize);
            goal[0] = (float)gx;
            goal[1] = (float)gy;
            var (sx, sy) = MazeWalls.CellCentre(layout.Start, HumanoidMjcf.MazeCellSize);
            d.Set(MjArray.Qpos, 0, sx);
            d.Set(MjArray.Qpos, 1, sy);
        }
        goal[2] = (float)HumanoidMjcf.TargetHeight;
        d.Set(MjArray.Qpos, targetQpos, goal[0]);
        d.Set(MjArray.Qpos, targetQpos + 1, goal[1]);
    }

    protected override void ApplyAction(int env, ReadOnlySpan<float> action, MujocoData d, double[] scratch)
    {
        for (int k = 0; k < ActionDim; k++) scratch[k] = HumanoidMjcf.ControlLimit * Math.Clamp(action[k], -1f, 1f);
        d.Write(MjArray.Ctrl, 0, scratch, 0, ActionDim);
    }

    protected override void WriteState(int env, MujocoData d, double[] scratch, Span<float> state)
    {
        int nq = model.Nq, nv = model.Nv, at = 0;
        d.Read(MjArray.Qpos, 0, scratch, 0, nq);
        Copy(scratch, nq, state[at..]); at += nq;
        d.Read(MjArray.Qvel, 0, scratch, 0, nv);
        Copy(scratch, nv, state[at..]); at += nv;
        // Body 0 is the world; bodies 1..12 are the fused links (§5.1).
        d.Read(MjArray.Cinert, 10, scratch, 0, 10 * Links);
        Copy(scratch, 10 * Links, state[at..]); at += 10 * Links;
        d.Read(MjArray.Cvel, 6, scratch, 0, 6 * Links);
        Copy(scratch, 6 * Links, state[at..]); at += 6 * Links;
        d.Read(MjArray.QfrcActuator, 0, scratch, 0, nv);
        Copy(scratch, nv, state[at..]);
    }

    public override (double Min, double Max)? HealthyTorsoHeight => (MinHealthyZ, MaxHealthyZ);
}

using Crl.Core.Environments.MuJoCo.Models;

namespace Crl.Core.Environments.MuJoCo.Tasks;

/// <summary>
/// <c>arm_push_easy</c>, <c>arm_push_hard</c>, <c>arm_binpick_hard</c> (environments.md §5.5). State (17) = cube
/// x, y, z + joint1–7 angles + link7 origin position (world) + link7 origin linear velocity (world) + distance between
/// the finger bodies; goal (3) = cube position. Actions (5): absolute targets for joints 1, 2, 4 and 6 mapped
/// linearly from [−1, 1] onto their task ranges (joints 3, 5 held at 0 and joint 7 at 1.4487), and the gripper
/// (a4 &gt; 0 closes it). Start: the arm's fixed pose, the cube at its scene position ± U(noise) in x, y dropped from
/// z 0.07. Goal: uniform in the scene's target box at z 0.03. Success within 0.1 m; never terminates early.
/// </summary>
public sealed class ArmTask : MujocoVectorEnv
{
    public const int StateDim = 17, GoalDim = 3, ActionDim = 5;
    public const double SuccessRadius = 0.1, GoalHeight = 0.03;
    public const int CubeQpos = 0, GoalMarkerQpos = 7, ArmQpos = 14, GoalMarkerDof = 6;

    /// <summary>Arm pose at every start: joint1–7, then both finger slides.</summary>
    public static readonly double[] InitialArm = [1.571, 0.742, 0, -1.571, 0, 3.054, 1.449, 0.04, 0.04];
    /// <summary>Joint targets reachable by the four arm actions (joint1, joint2, joint4, joint6).</summary>
    public static readonly (int Actuator, double Min, double Max)[] ActionTargets =
        [(0, 0.3491, 2.7925), (1, 0, 1.48353), (3, -3.0718, -0.0698), (5, 2.3562, 3.7525)];
    public const double Joint7Target = 1.4487, GripperOpen = 255, GripperClosed = 0;

    private readonly ArmScene scene;
    private readonly int link7, leftFinger, rightFinger;

    public ArmTask(MujocoLibrary library, string id, ArmScene scene, int numEnvs, int episodeLength,
        AutoResetMode resetMode = AutoResetMode.FirstState, int workerThreads = 0)
        : base(SpecFor(id, scene, episodeLength), MujocoModel.FromMjcf(library, PandaMjcf.Build(scene)),
            PandaMjcf.FrameSkip, observationNeedsKinematics: true, numEnvs, episodeLength, resetMode,
            workerThreads > 0 ? workerThreads : Environment.ProcessorCount)
    {
        this.scene = scene;
        link7 = model.BodyId("link7");
        leftFinger = model.BodyId("left_finger");
        rightFinger = model.BodyId("right_finger");
        if (model.JointQposAddress(model.JointId("joint1")) != ArmQpos)
            throw new InvalidOperationException("arm model does not have the fused qpos layout (cube, goal_marker, joint1…)");
    }

    public static EnvSpec SpecFor(string id, ArmScene scene, int episodeLength)
    {
        var (centre, half) = GoalBox(scene);
        return new(id, StateDim, GoalDim, ActionDim, GoalStart: 0, episodeLength, SuccessRadius,
            $"MuJoCo Panda arm, {scene}: move the cube to ({centre.X}, {centre.Y}) ± {half} m");
    }

    /// <summary>Cube start noise: ± this much in x and y around the scene's cube position.</summary>
    public static double CubeNoise(ArmScene scene) => scene switch { ArmScene.PushEasy => 0.1, ArmScene.PushHard => 0.25, _ => 0.15 };

    /// <summary>Goals are uniform in centre ± half in x and y.</summary>
    public static ((double X, double Y) Centre, double Half) GoalBox(ArmScene scene) => scene switch
    {
        ArmScene.PushEasy => ((0.1, 0.6), 0.1),
        ArmScene.PushHard => ((0.25, 0.65), 0.25),
        _ => ((0.3, 0.6), 0.15),
    };

    public ArmScene Scene => scene;

    protected override void PlaceStart(int env, MujocoData d, Span<float> goal, double[] scratch)
    {
        var (centre, half) = GoalBox(scene);
        goal[0] = (float)(centre.X + rng.NextDouble(-half, half));
        goal[1] = (float)(centre.Y + rng.NextDouble(-half, half));
        goal[2] = (float)GoalHeight;
        var (cx, cy) = PandaMjcf.CubeStart(scene);
        var noise = CubeNoise(scene);
        var q = scratch;
        Array.Clear(q, 0, model.Nq);
        q[CubeQpos] = cx + rng.NextDouble(-noise, noise);
        q[CubeQpos + 1] = cy + rng.NextDouble(-noise, noise);
        q[CubeQpos + 2] = PandaMjcf.CubeDropHeight;
        q[CubeQpos + 3] = 1;
        InitialArm.CopyTo(q, ArmQpos);
        d.Write(MjArray.Qpos, 0, q, 0, model.Nq);
        PinGoalMarker(d, goal);
    }

    protected override void ApplyAction(int env, ReadOnlySpan<float> action, MujocoData d, double[] scratch)
    {
        Array.Clear(scratch, 0, model.Nu);
        for (int k = 0; k < ActionTargets.Length; k++)
        {
            var (actuator, min, max) = ActionTargets[k];
            scratch[actuator] = min + (Math.Clamp(action[k], -1f, 1f) + 1) / 2 * (max - min);
        }
        scratch[6] = Joint7Target;
        scratch[7] = scratch[8] = action[4] > 0 ? GripperClosed : GripperOpen;
        d.Write(MjArray.Ctrl, 0, scratch, 0, model.Nu);
    }

    /// <summary>
    /// MuJoCo 2.2.2 has no gravcomp (§2), so the ghost marker would fall forever; it is put back on the goal at rest
    /// before every env step. It never enters the state.
    /// </summary>
    protected override void BeforePhysics(int env, MujocoData d) => PinGoalMarker(d, goals.AsSpan(env * GoalDim, GoalDim));

    private static void PinGoalMarker(MujocoData d, ReadOnlySpan<float> goal)
    {
        d.Set(MjArray.Qpos, GoalMarkerQpos, goal[0]);
        d.Set(MjArray.Qpos, GoalMarkerQpos + 1, goal[1]);
        d.Set(MjArray.Qpos, GoalMarkerQpos + 2, goal[2]);
        d.Set(MjArray.Qpos, GoalMarkerQpos + 3, 1);
        for (int k = 4; k < 7; k++) d.Set(MjArray.Qpos, GoalMarkerQpos + k, 0);
        for (int k = 0; k < 6; k++) d.Set(MjArray.Qvel, GoalMarkerDof + k, 0);
    }

    protected override void WriteState(int env, MujocoData d, double[] scratch, Span<float> state)
    {
        d.Read(MjArray.Qpos, CubeQpos, scratch, 0, 3);
        d.Read(MjArray.Qpos, ArmQpos, scratch, 3, 7);
        d.Read(MjArray.Xpos, 3 * link7, scratch, 10, 3);
        // mj_objectVelocity gives (angular, linear); the state keeps the linear part.
        d.BodyVelocity(link7, scratch, 13);
        scratch[13] = scratch[16]; scratch[14] = scratch[17]; scratch[15] = scratch[18];
        d.Read(MjArray.Xpos, 3 * leftFinger, scratch, 20, 3);
        d.Read(MjArray.Xpos, 3 * rightFinger, scratch, 23, 3);
        double dx = scratch[20] - scratch[23], dy = scratch[21] - scratch[24], dz = scratch[22] - scratch[25];
        scratch[16] = Math.Sqrt(dx * dx + dy * dy + dz * dz);
        Copy(scratch, StateDim, state);
    }
}

namespace Crl.Core.Environments;

/// <summary>
/// A 2-link planar arm reaching for a target (environments.md §7, <c>reacher</c>): state 10 =
/// cos q (2), sin q (2), fingertip position (3), fingertip velocity (3); goal = target position (3) = state[4:7];
/// target uniform in a disc of radius 0.2; success when the fingertip is within 0.05 of the target;
/// reset noise q ~ U(±0.1), q̇ ~ U(±0.005); control dt 0.02 s = 4 substeps of 0.005 s; gear 25.
/// Brax's reacher.xml is not in either repository, so the body is the Gym/Brax reacher's as commonly published:
/// links 0.1 m and 0.11 m (to the fingertip), capsule radius 0.01 at density 1000, joint armature 1, damping 1,
/// elbow limited to ±3 rad. Rigid-body dynamics are integrated here with semi-implicit Euler, not by a physics engine.
/// </summary>
public sealed class Reacher : VectorEnv
{
    public const int StateDim = 10, GoalDim = 3, ActionDim = 2;
    public const double SuccessRadius = 0.05;
    public const double TargetRadius = 0.2;
    public const double Gear = 25, Damping = 1, Armature = 1;
    public const double SubstepDt = 0.005;
    public const int Substeps = 4;
    public const double ElbowLimit = 3.0;
    public const double Height = 0.01;

    const double L1 = 0.1, L2 = 0.11;
    // Capsule of length 0.1 and radius 0.01 at density 1000: cylinder + two hemispheres.
    static readonly double LinkMass = 1000 * (Math.PI * 0.01 * 0.01 * 0.1 + 4.0 / 3.0 * Math.PI * 0.01 * 0.01 * 0.01);
    const double Com = 0.05;
    static readonly double LinkInertia = LinkMass * 0.1 * 0.1 / 12;

    private readonly double[] q;   // N × 2 joint angles
    private readonly double[] qd;  // N × 2 joint velocities
    private readonly double[] initialQ;
    private readonly double[] initialQd;

    public Reacher(int numEnvs, int episodeLength, AutoResetMode resetMode = AutoResetMode.FirstState)
        : base(SpecFor(episodeLength), numEnvs, episodeLength, resetMode)
    {
        q = new double[2 * numEnvs];
        qd = new double[2 * numEnvs];
        initialQ = new double[2 * numEnvs];
        initialQd = new double[2 * numEnvs];
    }

    public static EnvSpec SpecFor(int episodeLength) => new(
        "reacher", StateDim, GoalDim, ActionDim, GoalStart: 4, episodeLength, SuccessRadius,
        "2-link planar arm reaching a target in a 0.2 m disc");

    protected override void SampleStart(int env, Span<float> state, Span<float> goal)
    {
        q[2 * env] = rng.NextDouble(-0.1, 0.1);
        q[2 * env + 1] = rng.NextDouble(-0.1, 0.1);
        qd[2 * env] = rng.NextDouble(-0.005, 0.005);
        qd[2 * env + 1] = rng.NextDouble(-0.005, 0.005);
        var r = TargetRadius * Math.Sqrt(rng.NextDouble());
        var angle = 2 * Math.PI * rng.NextDouble();
        goal[0] = (float)(r * Math.Cos(angle));
        goal[1] = (float)(r * Math.Sin(angle));
        goal[2] = (float)Height;
        WriteState(env, state);
    }

    protected override void Advance(ReadOnlySpan<float> actions)
    {
        for (int i = 0; i < NumEnvs; i++)
        {
            double tau0 = Gear * Math.Clamp(actions[2 * i], -1f, 1f), tau1 = Gear * Math.Clamp(actions[2 * i + 1], -1f, 1f);
            double q0 = q[2 * i], q1 = q[2 * i + 1], v0 = qd[2 * i], v1 = qd[2 * i + 1];
            for (int k = 0; k < Substeps; k++)
            {
                // Two-link planar manipulator: M(q) q̈ + C(q, q̇) q̇ = τ − d q̇, with armature on the diagonal.
                var c1 = Math.Cos(q1); var s1 = Math.Sin(q1);
                var m11 = 2 * LinkInertia + LinkMass * Com * Com + LinkMass * (L1 * L1 + Com * Com + 2 * L1 * Com * c1) + Armature;
                var m12 = LinkInertia + LinkMass * (Com * Com + L1 * Com * c1);
                var m22 = LinkInertia + LinkMass * Com * Com + Armature;
                var h = LinkMass * L1 * Com * s1;
                var f0 = tau0 - Damping * v0 + h * (2 * v0 * v1 + v1 * v1);
                var f1 = tau1 - Damping * v1 - h * v0 * v0;
                var det = m11 * m22 - m12 * m12;
                var a0 = (m22 * f0 - m12 * f1) / det;
                var a1 = (m11 * f1 - m12 * f0) / det;
                v0 += SubstepDt * a0;
                v1 += SubstepDt * a1;
                q0 += SubstepDt * v0;
                q1 += SubstepDt * v1;
                if (q1 > ElbowLimit) { q1 = ElbowLimit; v1 = Math.Min(v1, 0); }
                else if (q1 < -ElbowLimit) { q1 = -ElbowLimit; v1 = Math.Max(v1, 0); }
            }
            q[2 * i] = q0; q[2 * i + 1] = q1; qd[2 * i] = v0; qd[2 * i + 1] = v1;
            WriteState(i, states.AsSpan(i * StateDim, StateDim));
            var d = GoalDistance(i);
            distance[i] = d;
            success[i] = d < SuccessRadius ? 1f : 0f;
        }
    }

    protected override void OnInitialStatesSampled()
    {
        q.CopyTo(initialQ, 0);
        qd.CopyTo(initialQd, 0);
    }

    protected override void OnRestoredToInitial(int env)
    {
        q[2 * env] = initialQ[2 * env]; q[2 * env + 1] = initialQ[2 * env + 1];
        qd[2 * env] = initialQd[2 * env]; qd[2 * env + 1] = initialQd[2 * env + 1];
    }

    static (double, double, double, double) Jacobian(double q0, double q1)
    {
        var s0 = Math.Sin(q0); var c0 = Math.Cos(q0);
        var s01 = Math.Sin(q0 + q1); var c01 = Math.Cos(q0 + q1);
        return (-L1 * s0 - L2 * s01, -L2 * s01, L1 * c0 + L2 * c01, L2 * c01);
    }

    private void WriteState(int env, Span<float> state)
    {
        double q0 = q[2 * env], q1 = q[2 * env + 1], v0 = qd[2 * env], v1 = qd[2 * env + 1];
        state[0] = (float)Math.Cos(q0);
        state[1] = (float)Math.Cos(q1);
        state[2] = (float)Math.Sin(q0);
        state[3] = (float)Math.Sin(q1);
        state[4] = (float)(L1 * Math.Cos(q0) + L2 * Math.Cos(q0 + q1));
        state[5] = (float)(L1 * Math.Sin(q0) + L2 * Math.Sin(q0 + q1));
        state[6] = (float)Height;
        var (j00, j01, j10, j11) = Jacobian(q0, q1);
        state[7] = (float)(j00 * v0 + j01 * v1);
        state[8] = (float)(j10 * v0 + j11 * v1);
        state[9] = 0;
    }
}

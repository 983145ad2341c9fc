using System.Globalization;
using System.Runtime.InteropServices;

namespace Crl.Core.Environments.MuJoCo;

/// <summary>
/// Checks every offset of <see cref="MujocoLayout"/> against a small model whose contents are known: the size
/// fields and options must read back the values written in the MJCF, every pointer must lie inside its struct's
/// buffer in declaration order, and the arrays must hold what the physics says (a free body's position, its mass in
/// cinert, its velocity in cvel, gravity in qacc, a motor's force in qfrc_actuator).
/// </summary>
internal static class MujocoLayoutProbe
{
    private const double Timestep = 0.0025, Gear = 7, BallMass = 2.5, SliderMass = 0.75;
    private const int Iterations = 7, Rk4Integrator = 1;

    private static readonly string Mjcf = string.Create(CultureInfo.InvariantCulture, $"""
        <mujoco model="layout_probe">
          <option timestep="{Timestep}" iterations="{Iterations}" integrator="RK4"/>
          <custom><numeric name="probe" data="1.5 -2.5 3.5"/></custom>
          <worldbody>
            <geom name="floor" type="plane" size="5 5 0.1"/>
            <body name="ball" pos="0.1 0.2 1.3"><freejoint/><geom type="sphere" size="0.1" mass="{BallMass}"/></body>
            <body name="slider" pos="0 0 3"><joint name="slide" type="slide" axis="1 0 0"/><geom type="box" size="0.1 0.1 0.1" mass="{SliderMass}"/></body>
            <body name="marker" mocap="true" pos="1 2 3"><geom type="sphere" size="0.05" contype="0" conaffinity="0"/></body>
          </worldbody>
          <actuator><motor joint="slide" gear="{Gear}" ctrllimited="true" ctrlrange="-3 4"/></actuator>
        </mujoco>
        """);

    /// <summary>Null when every offset checks out, else the first mismatch.</summary>
    public static string? Verify(MujocoLibrary library)
    {
        MujocoModel model;
        try { model = MujocoModel.FromMjcf(library, Mjcf); }
        catch (InvalidOperationException e) { return $"the probe model did not load ({e.Message})"; }
        using (model)
        {
            return VerifyModel(model) ?? VerifyData(model);
        }
    }

    private static string? VerifyModel(MujocoModel m)
    {
        var ints = new (string, int, int)[]
        {
            ("nq", MujocoLayout.Model.Nq, 8), ("nv", MujocoLayout.Model.Nv, 7), ("nu", MujocoLayout.Model.Nu, 1),
            ("na", MujocoLayout.Model.Na, 0), ("nbody", MujocoLayout.Model.Nbody, 4), ("njnt", MujocoLayout.Model.Njnt, 2),
            ("ngeom", MujocoLayout.Model.Ngeom, 4), ("nnumeric", MujocoLayout.Model.Nnumeric, 1),
            ("nnumericdata", MujocoLayout.Model.Nnumericdata, 3), ("nmocap", MujocoLayout.Model.Nmocap, 1),
            ("opt.iterations", MujocoLayout.Model.OptIterations, Iterations), ("opt.integrator", MujocoLayout.Model.OptIntegrator, Rk4Integrator),
        };
        foreach (var (name, offset, expected) in ints)
            if (m.ReadInt(offset) != expected) return Mismatch("mjModel", name, offset, expected, m.ReadInt(offset));
        if (m.Timestep != Timestep) return Mismatch("mjModel", "opt.timestep", MujocoLayout.Model.OptTimestep, Timestep, m.Timestep);

        var buffer = m.ReadPointer(MujocoLayout.Model.Buffer);
        var end = buffer + m.ReadInt(MujocoLayout.Model.Nbuffer);
        var previous = buffer;
        foreach (var (name, offset) in MujocoLayout.Model.Pointers)
        {
            var p = m.ReadPointer(offset);
            if (p < previous || p > end) return $"mjModel.{name} (offset {offset}) does not point into the model buffer after the previous field";
            previous = p;
        }

        var checks = new (string, double, double)[]
        {
            ("qpos0[0]", m.Qpos0(0), 0.1), ("qpos0[2]", m.Qpos0(2), 1.3), ("qpos0[3]", m.Qpos0(3), 1),
            ("body_parentid[3]", m.BodyParent(3), 0), ("body_mocapid[3]", m.BodyMocapId(3), 0), ("body_mocapid[1]", m.BodyMocapId(1), -1),
            ("body_mass[1]", m.BodyMass(1), BallMass), ("body_mass[2]", m.BodyMass(2), SliderMass),
            ("jnt_qposadr[1]", m.JointQposAddress(1), 7), ("jnt_dofadr[1]", m.JointDofAddress(1), 6),
            ("actuator_ctrlrange[0]", m.ControlRange(0).Low, -3), ("actuator_ctrlrange[1]", m.ControlRange(0).High, 4),
            ("actuator_gear[0]", m.Gear(0), Gear),
        };
        foreach (var (name, actual, expected) in checks)
            if (actual != expected) return Mismatch("mjModel", name, -1, expected, actual);
        var numeric = m.Numeric("probe");
        if (numeric is not [1.5, -2.5, 3.5]) return "mjModel.numeric_adr/numeric_size/numeric_data do not read back the probe's numeric field";
        return null;
    }

    private static string? VerifyData(MujocoModel m)
    {
        using var d = m.MakeData();
        var buffer = Marshal.ReadIntPtr(d.Pointer, MujocoLayout.Data.Buffer);
        var end = buffer + Marshal.ReadInt32(d.Pointer, MujocoLayout.Data.Nbuffer);
        var previous = buffer;
        foreach (var (name, offset) in MujocoLayout.Data.Pointers)
        {
            var p = Marshal.ReadIntPtr(d.Pointer, offset);
            if (p < previous || p > end) return $"mjData.{name} (offset {offset}) does not point into the data buffer after the previous field";
            previous = p;
        }

        d.Reset();
        if (d.Get(MjArray.Qpos, 2) != 1.3 || d.Get(MjArray.Qpos, 3) != 1) return "mjData.qpos does not hold qpos0 after mj_resetData";
        // Ball away from the floor, moving; slider pushed by its motor and an applied force.
        d.Set(MjArray.Qpos, 0, 0.5); d.Set(MjArray.Qpos, 1, -0.25); d.Set(MjArray.Qpos, 2, 2.0);
        d.Set(MjArray.Qvel, 0, 0.3); d.Set(MjArray.Qvel, 1, -0.2); d.Set(MjArray.Qvel, 2, 0.1);
        d.Set(MjArray.Ctrl, 0, 0.5);
        d.Set(MjArray.QfrcApplied, 6, 1.0);
        d.Forward();
        var checks = new (string, double, double)[]
        {
            ("xpos (ball x)", d.Get(MjArray.Xpos, 3), 0.5), ("xpos (ball z)", d.Get(MjArray.Xpos, 5), 2.0),
            ("xquat (ball w)", d.Get(MjArray.Xquat, 4), 1), ("geom_xpos (ball y)", d.Get(MjArray.GeomXpos, 4), -0.25), ("xmat (ball xx)", d.Get(MjArray.Xmat, 9), 1),
            ("cinert (ball mass)", d.Get(MjArray.Cinert, 10 + 9), BallMass),
            ("cvel (ball vx)", d.Get(MjArray.Cvel, 6 + 3), 0.3), ("cvel (ball vy)", d.Get(MjArray.Cvel, 6 + 4), -0.2),
            ("qfrc_actuator (slider)", d.Get(MjArray.QfrcActuator, 6), Gear * 0.5),
            ("qacc (ball z, free fall)", d.Get(MjArray.Qacc, 2), -9.81),
            ("qacc (slider)", d.Get(MjArray.Qacc, 6), (Gear * 0.5 + 1.0) / SliderMass),
            ("mocap_pos (marker y)", d.Get(MjArray.MocapPos, 1), 2), ("mocap_quat (marker w)", d.Get(MjArray.MocapQuat, 0), 1),
        };
        foreach (var (name, actual, expected) in checks)
            if (Math.Abs(actual - expected) > 1e-9 * Math.Max(1, Math.Abs(expected))) return Mismatch("mjData", name, -1, expected, actual);
        d.Step();
        if (d.Time != Timestep) return Mismatch("mjData", "time", MujocoLayout.Data.Time, Timestep, d.Time);
        return null;
    }

    private static string Mismatch(string type, string field, int offset, double expected, double actual) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{type}.{field}{(offset >= 0 ? $" (offset {offset})" : "")} reads {actual}, expected {expected}");
}

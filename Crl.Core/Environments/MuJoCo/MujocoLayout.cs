namespace Crl.Core.Environments.MuJoCo;

/// <summary>
/// Byte offsets of the mjModel / mjData fields this project reads, for MuJoCo 2.2.2 on x86-64 (the layout of
/// Debian's libmujoco-dev 2.2.2-3 headers, mjmodel.h / mjdata.h, as <c>offsetof</c> reports it; environments.md §6
/// lists the same numbers). C structs carry no layout at run time, so <see cref="MujocoLayoutProbe"/> checks each one
/// against a model with known contents before any task uses them.
/// </summary>
internal static class MujocoLayout
{
    public const int Version = 222;

    /// <summary>mjModel: the int size fields at its head, then options, then the pointer block.</summary>
    public static class Model
    {
        public const int Nq = 0, Nv = 4, Nu = 8, Na = 12, Nbody = 16, Njnt = 20, Ngeom = 24;
        public const int Nnumeric = 128, Nnumericdata = 132, Nmocap = 156, Nbuffer = 228;
        public const int OptTimestep = 232, OptIntegrator = 432, OptIterations = 452;

        public const int Buffer = 1088, Qpos0 = 1096, BodyParentId = 1112, BodyMocapId = 1136, BodyMass = 1240;
        public const int JntQposAdr = 1288, JntDofAdr = 1296;
        public const int ActuatorCtrlRange = 2792, ActuatorGear = 2816;
        public const int NumericAdr = 2960, NumericSize = 2968, NumericData = 2976;

        /// <summary>Pointer fields in declaration order: MuJoCo carves them out of <c>buffer</c> in this order.</summary>
        public static readonly (string Name, int Offset)[] Pointers =
        [
            ("qpos0", Qpos0), ("body_parentid", BodyParentId), ("body_mocapid", BodyMocapId), ("body_mass", BodyMass),
            ("jnt_qposadr", JntQposAdr), ("jnt_dofadr", JntDofAdr), ("actuator_ctrlrange", ActuatorCtrlRange),
            ("actuator_gear", ActuatorGear), ("numeric_adr", NumericAdr), ("numeric_size", NumericSize),
            ("numeric_data", NumericData),
        ];
    }

    /// <summary>mjData: size/diagnostic header, then the pointer block into its own buffer.</summary>
    public static class Data
    {
        public const int Nbuffer = 4, Ncon = 40332, Time = 40336, Buffer = 40360;
        public const int Qpos = 40376, Qvel = 40384, Act = 40392, QaccWarmstart = 40400, Ctrl = 40408;
        public const int QfrcApplied = 40416, MocapPos = 40432, MocapQuat = 40440, Qacc = 40448;
        public const int Xpos = 40480, Xquat = 40488, Xmat = 40496, GeomXpos = 40536, Cinert = 40616, Cvel = 40960, QfrcActuator = 41088;

        public static readonly (string Name, int Offset)[] Pointers =
        [
            ("qpos", Qpos), ("qvel", Qvel), ("act", Act), ("qacc_warmstart", QaccWarmstart), ("ctrl", Ctrl),
            ("qfrc_applied", QfrcApplied), ("mocap_pos", MocapPos), ("mocap_quat", MocapQuat), ("qacc", Qacc),
            ("xpos", Xpos), ("xquat", Xquat), ("xmat", Xmat), ("geom_xpos", GeomXpos), ("cinert", Cinert), ("cvel", Cvel),
            ("qfrc_actuator", QfrcActuator),
        ];
    }
}

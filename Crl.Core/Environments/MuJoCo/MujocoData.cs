using System.Runtime.InteropServices;

namespace Crl.Core.Environments.MuJoCo;

/// <summary>The mjData arrays this project reads or writes (all mjtNum = double).</summary>
public enum MjArray
{
    Qpos, Qvel, Ctrl, QfrcApplied, MocapPos, MocapQuat, Qacc, Xpos, Xquat, Xmat, GeomXpos, Cinert, Cvel, QfrcActuator,
}

/// <summary>
/// One environment's <c>mjData</c>. Array pointers are fixed for the life of an mjData (they point into its single
/// buffer), so they are read once here and every per-step access is a bounds-free copy.
/// </summary>
public sealed class MujocoData : IDisposable
{
    private static readonly int[] ArrayOffsets =
    [
        MujocoLayout.Data.Qpos, MujocoLayout.Data.Qvel, MujocoLayout.Data.Ctrl, MujocoLayout.Data.QfrcApplied,
        MujocoLayout.Data.MocapPos, MujocoLayout.Data.MocapQuat, MujocoLayout.Data.Qacc, MujocoLayout.Data.Xpos,
        MujocoLayout.Data.Xquat, MujocoLayout.Data.Xmat, MujocoLayout.Data.GeomXpos, MujocoLayout.Data.Cinert, MujocoLayout.Data.Cvel,
        MujocoLayout.Data.QfrcActuator,
    ];

    private readonly MujocoModel model;
    private readonly MjDataHandle handle;
    private readonly IntPtr data;
    private readonly IntPtr[] arrays;
    private readonly IntPtr velocityResult;
    private readonly MujocoNative native;

    internal MujocoData(MujocoModel model)
    {
        this.model = model;
        native = model.Library.Native;
        var pointer = native.MakeData(model.Pointer);
        if (pointer == IntPtr.Zero) throw new OutOfMemoryException("mj_makeData returned NULL");
        handle = new MjDataHandle(native, pointer);
        data = pointer;
        arrays = new IntPtr[ArrayOffsets.Length];
        for (int i = 0; i < arrays.Length; i++) arrays[i] = Marshal.ReadIntPtr(data, ArrayOffsets[i]);
        velocityResult = Marshal.AllocHGlobal(6 * sizeof(double));
    }

    public MujocoModel Model => model;
    internal IntPtr Pointer => data;

    /// <summary>Simulation time, seconds.</summary>
    public double Time => MujocoModel.ReadDouble(data, MujocoLayout.Data.Time);

    public void Step() => native.Step(model.Pointer, data);
    public void Forward() => native.Forward(model.Pointer, data);
    /// <summary>
    /// Positions and velocities of bodies from the current qpos/qvel (mj_kinematics, mj_comPos, mj_comVel) without
    /// collision or constraint solving: after mj_step, xpos/cinert/cvel describe the state before the last
    /// integration (environments.md §6), and these three stages are all an observation needs.
    /// </summary>
    public void Kinematics()
    {
        native.Kinematics(model.Pointer, data);
        native.ComPos(model.Pointer, data);
        native.ComVel(model.Pointer, data);
    }

    /// <summary>mj_resetData: qpos = qpos0, everything else zero, time 0.</summary>
    public void Reset() => native.ResetData(model.Pointer, data);

    public double Get(MjArray array, int index) => MujocoModel.ReadDouble(arrays[(int)array], index * sizeof(double));

    public void Set(MjArray array, int index, double value) =>
        Marshal.WriteInt64(arrays[(int)array], index * sizeof(double), BitConverter.DoubleToInt64Bits(value));

    /// <summary>Copy <paramref name="count"/> values starting at <paramref name="index"/> into <paramref name="destination"/>.</summary>
    public void Read(MjArray array, int index, double[] destination, int destinationIndex, int count) =>
        Marshal.Copy(arrays[(int)array] + index * sizeof(double), destination, destinationIndex, count);

    public void Write(MjArray array, int index, double[] source, int sourceIndex, int count) =>
        Marshal.Copy(source, sourceIndex, arrays[(int)array] + index * sizeof(double), count);

    /// <summary>
    /// A body's 6-D velocity (angular, then linear) at its frame origin, world-oriented: mj_objectVelocity on the
    /// XBODY frame with flg_local = 0 (environments.md §5.5, link7 velocity in the arm state).
    /// </summary>
    public void BodyVelocity(int body, double[] destination, int destinationIndex)
    {
        native.ObjectVelocity(model.Pointer, data, (int)MujocoObject.XBody, body, velocityResult, 0);
        Marshal.Copy(velocityResult, destination, destinationIndex, 6);
    }

    public void Dispose()
    {
        if (handle.IsClosed) return;
        handle.Dispose();
        Marshal.FreeHGlobal(velocityResult);
    }
}

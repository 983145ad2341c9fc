using System.Runtime.InteropServices;
using System.Text;

namespace Crl.Core.Environments.MuJoCo;

/// <summary>
/// A compiled, read-only <c>mjModel</c>. One instance is shared by every environment of a batch (environments.md §6:
/// a shared model plus one <c>mjData</c> per environment is thread-safe).
/// </summary>
public sealed class MujocoModel : IDisposable
{
    private readonly MjModelHandle handle;
    private readonly IntPtr model;

    internal MujocoModel(MujocoLibrary library, MjModelHandle handle)
    {
        Library = library;
        this.handle = handle;
        model = handle.DangerousGetHandle();
        Nq = ReadInt(MujocoLayout.Model.Nq);
        Nv = ReadInt(MujocoLayout.Model.Nv);
        Nu = ReadInt(MujocoLayout.Model.Nu);
        Nbody = ReadInt(MujocoLayout.Model.Nbody);
        Njnt = ReadInt(MujocoLayout.Model.Njnt);
        Ngeom = ReadInt(MujocoLayout.Model.Ngeom);
        Nmocap = ReadInt(MujocoLayout.Model.Nmocap);
        Timestep = ReadDouble(model, MujocoLayout.Model.OptTimestep);
    }

    /// <summary>
    /// Compile MJCF text. mj_loadXML in 2.2.2 only reads files (its VFS is a fixed-size struct not worth mirroring),
    /// so the text goes through a temporary file that is removed at once.
    /// </summary>
    public static MujocoModel FromMjcf(MujocoLibrary library, string mjcf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"crl-mjcf-{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, mjcf, new UTF8Encoding(false));
        const int errorSize = 1000;
        var fileName = Marshal.StringToHGlobalAnsi(path);
        var error = Marshal.AllocHGlobal(errorSize);
        try
        {
            Marshal.WriteByte(error, 0);
            var model = library.Native.LoadXml(fileName, IntPtr.Zero, error, errorSize);
            if (model == IntPtr.Zero)
                throw new InvalidOperationException($"MuJoCo rejected the model: {Marshal.PtrToStringAnsi(error)}");
            return new MujocoModel(library, new MjModelHandle(library.Native, model));
        }
        finally
        {
            Marshal.FreeHGlobal(error);
            Marshal.FreeHGlobal(fileName);
            File.Delete(path);
        }
    }

    public MujocoLibrary Library { get; }
    public int Nq { get; }
    public int Nv { get; }
    public int Nu { get; }
    public int Nbody { get; }
    public int Njnt { get; }
    public int Ngeom { get; }
    public int Nmocap { get; }
    /// <summary>Physics step (option timestep), seconds.</summary>
    public double Timestep { get; }

    internal IntPtr Pointer => model;

    public MujocoData MakeData() => new(this);

    public int BodyId(string name) => Id(MujocoObject.Body, name);
    public int JointId(string name) => Id(MujocoObject.Joint, name);
    public int ActuatorId(string name) => Id(MujocoObject.Actuator, name);
    public int GeomId(string name) => Id(MujocoObject.Geom, name);

    public int JointQposAddress(int joint) => ReadIntArray(MujocoLayout.Model.JntQposAdr, joint);
    public int JointDofAddress(int joint) => ReadIntArray(MujocoLayout.Model.JntDofAdr, joint);
    public int BodyParent(int body) => ReadIntArray(MujocoLayout.Model.BodyParentId, body);
    public int BodyMocapId(int body) => ReadIntArray(MujocoLayout.Model.BodyMocapId, body);
    public double BodyMass(int body) => ReadDoubleArray(MujocoLayout.Model.BodyMass, body);
    public double Qpos0(int index) => ReadDoubleArray(MujocoLayout.Model.Qpos0, index);
    public (double Low, double High) ControlRange(int actuator) =>
        (ReadDoubleArray(MujocoLayout.Model.ActuatorCtrlRange, 2 * actuator), ReadDoubleArray(MujocoLayout.Model.ActuatorCtrlRange, 2 * actuator + 1));
    /// <summary>First gear entry (actuator_gear is nu × 6; joint transmissions use only the first).</summary>
    public double Gear(int actuator) => ReadDoubleArray(MujocoLayout.Model.ActuatorGear, 6 * actuator);

    /// <summary>A <c>&lt;custom&gt;&lt;numeric&gt;</c> field's values, or null when the model has none of that name.</summary>
    public double[]? Numeric(string name)
    {
        var id = NameToId(MujocoObject.Numeric, name);
        if (id < 0) return null;
        var adr = ReadIntArray(MujocoLayout.Model.NumericAdr, id);
        var size = ReadIntArray(MujocoLayout.Model.NumericSize, id);
        var values = new double[size];
        Marshal.Copy(Marshal.ReadIntPtr(model, MujocoLayout.Model.NumericData) + adr * sizeof(double), values, 0, size);
        return values;
    }

    internal int ReadInt(int offset) => Marshal.ReadInt32(model, offset);
    internal IntPtr ReadPointer(int offset) => Marshal.ReadIntPtr(model, offset);
    internal int ReadIntArray(int pointerOffset, int index) => Marshal.ReadInt32(Marshal.ReadIntPtr(model, pointerOffset), index * sizeof(int));
    internal double ReadDoubleArray(int pointerOffset, int index) => ReadDouble(Marshal.ReadIntPtr(model, pointerOffset), index * sizeof(double));

    internal static double ReadDouble(IntPtr address, int offset) => BitConverter.Int64BitsToDouble(Marshal.ReadInt64(address, offset));

    internal int NameToId(MujocoObject type, string name)
    {
        var text = Marshal.StringToHGlobalAnsi(name);
        try { return Library.Native.Name2Id(model, (int)type, text); }
        finally { Marshal.FreeHGlobal(text); }
    }

    private int Id(MujocoObject type, string name)
    {
        var id = NameToId(type, name);
        return id >= 0 ? id : throw new KeyNotFoundException($"the model has no {type.ToString().ToLowerInvariant()} named '{name}'");
    }

    public void Dispose() => handle.Dispose();
}

using System.Runtime.InteropServices;

namespace Crl.Core.Environments.MuJoCo;

/// <summary>
/// The slice of MuJoCo 2.2.2's C API this project calls (environments.md §6), bound by symbol from one loaded
/// library. Binding by hand (rather than <c>[DllImport]</c>) lets a caller name the library file, so a missing or
/// different library is an ordinary, reportable outcome instead of a <see cref="DllNotFoundException"/> at first use.
/// Every signature is blittable (pointers, ints, doubles), so calls cost a plain transition and no marshalling.
/// </summary>
internal sealed class MujocoNative
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int VersionFn();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate IntPtr LoadXmlFn(IntPtr fileName, IntPtr vfs, IntPtr error, int errorSize);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate IntPtr MakeDataFn(IntPtr model);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate void ModelDataFn(IntPtr model, IntPtr data);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate void DeleteFn(IntPtr handle);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int Name2IdFn(IntPtr model, int type, IntPtr name);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate void ObjectVelocityFn(IntPtr model, IntPtr data, int objectType, int objectId, IntPtr result, int local);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate void MessageFn(IntPtr message);

    public required VersionFn Version { get; init; }
    public required LoadXmlFn LoadXml { get; init; }
    public required MakeDataFn MakeData { get; init; }
    public required ModelDataFn Step { get; init; }
    public required ModelDataFn Forward { get; init; }
    public required ModelDataFn ResetData { get; init; }
    public required ModelDataFn Kinematics { get; init; }
    public required ModelDataFn ComPos { get; init; }
    public required ModelDataFn ComVel { get; init; }
    public required DeleteFn DeleteData { get; init; }
    public required DeleteFn DeleteModel { get; init; }
    public required Name2IdFn Name2Id { get; init; }
    public required ObjectVelocityFn ObjectVelocity { get; init; }
    /// <summary>Address of the global <c>mju_user_warning</c> hook (a function-pointer variable, not a function).</summary>
    public required IntPtr UserWarningHook { get; init; }

    /// <summary>Bind every symbol of <paramref name="library"/>; the message names the first one missing.</summary>
    public static MujocoNative Bind(IntPtr library)
    {
        T Fn<T>(string name) where T : Delegate =>
            NativeLibrary.TryGetExport(library, name, out var address)
                ? Marshal.GetDelegateForFunctionPointer<T>(address)
                : throw new EntryPointNotFoundException($"symbol {name} not found");
        IntPtr Variable(string name) =>
            NativeLibrary.TryGetExport(library, name, out var address) ? address : throw new EntryPointNotFoundException($"symbol {name} not found");
        return new MujocoNative
        {
            Version = Fn<VersionFn>("mj_version"),
            LoadXml = Fn<LoadXmlFn>("mj_loadXML"),
            MakeData = Fn<MakeDataFn>("mj_makeData"),
            Step = Fn<ModelDataFn>("mj_step"),
            Forward = Fn<ModelDataFn>("mj_forward"),
            ResetData = Fn<ModelDataFn>("mj_resetData"),
            Kinematics = Fn<ModelDataFn>("mj_kinematics"),
            ComPos = Fn<ModelDataFn>("mj_comPos"),
            ComVel = Fn<ModelDataFn>("mj_comVel"),
            DeleteData = Fn<DeleteFn>("mj_deleteData"),
            DeleteModel = Fn<DeleteFn>("mj_deleteModel"),
            Name2Id = Fn<Name2IdFn>("mj_name2id"),
            ObjectVelocity = Fn<ObjectVelocityFn>("mj_objectVelocity"),
            UserWarningHook = Variable("mju_user_warning"),
        };
    }
}

/// <summary>mjtObj values (mjmodel.h) used for name lookups.</summary>
internal enum MujocoObject
{
    Body = 1,
    XBody = 2,
    Joint = 3,
    Geom = 5,
    Site = 6,
    Actuator = 18,
    Numeric = 20,
}

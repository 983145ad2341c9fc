using System.Runtime.InteropServices;

namespace Crl.Core.Environments.MuJoCo;

/// <summary>An <c>mjModel*</c> owned by managed code: freed with <c>mj_deleteModel</c> exactly once.</summary>
internal sealed class MjModelHandle : SafeHandle
{
    private readonly MujocoNative native;

    public MjModelHandle(MujocoNative native, IntPtr model) : base(IntPtr.Zero, ownsHandle: true)
    {
        this.native = native;
        SetHandle(model);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        native.DeleteModel(handle);
        return true;
    }
}

/// <summary>An <c>mjData*</c> owned by managed code: freed with <c>mj_deleteData</c> exactly once.</summary>
internal sealed class MjDataHandle : SafeHandle
{
    private readonly MujocoNative native;

    public MjDataHandle(MujocoNative native, IntPtr data) : base(IntPtr.Zero, ownsHandle: true)
    {
        this.native = native;
        SetHandle(data);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        native.DeleteData(handle);
        return true;
    }
}

using System.Runtime.InteropServices;

namespace Builder.Guestfs.Native;

/// <summary>Owns a <c>guestfs_h*</c>. Releasing it calls guestfs_close, which also stops the appliance.</summary>
internal sealed class GuestfsHandle : SafeHandle
{
    public GuestfsHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The GCHandle passed as the event callback's opaque pointer; freed once the handle is closed.</summary>
    internal GCHandle EventSink { get; set; }

    protected override bool ReleaseHandle()
    {
        // Closing may report (autosync) errors; the error handler is per thread, so silence this one.
        GuestfsNative.SetErrorHandler(handle, IntPtr.Zero, IntPtr.Zero);
        GuestfsNative.Close(handle);
        if (EventSink.IsAllocated) EventSink.Free();
        return true;
    }
}

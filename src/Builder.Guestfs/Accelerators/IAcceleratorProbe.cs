using Builder.Execution;
using Builder.Guests;

namespace Builder.Guestfs;

/// <summary>Decides which accelerator an appliance launch uses.</summary>
public interface IAcceleratorProbe
{
    /// <summary>
    /// Kvm or Tcg for the request: Kvm and Tcg are returned as given; Auto honours <c>BUILDER_ACCEL</c>
    /// and otherwise probes whether KVM can boot a kernel on this host (once, then cached).
    /// </summary>
    ValueTask<Accelerator> ResolveAsync(Accelerator requested, IBuildEvents events, CancellationToken cancellationToken);
}

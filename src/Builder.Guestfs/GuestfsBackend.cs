using Builder.Execution;
using Builder.Guestfs.Appliance;
using Builder.Guestfs.Native;
using Builder.Guests;
using Builder.Resilience;
using Polly;
using Polly.Registry;

namespace Builder.Guestfs;

/// <summary>
/// Opens guest sessions in a libguestfs appliance (the "direct" backend: qemu is our child process).
/// Launch is retried through the <see cref="ResiliencePipelines.ApplianceLaunch"/> pipeline with a fresh
/// handle each time, bounded by <see cref="GuestSessionOptions.LaunchTimeout"/>. The appliance is verbose
/// only when tracing: command output reaches the host through /dev/console, which needs no verbose mode.
/// </summary>
public sealed class GuestfsBackend(
    ResiliencePipelineProvider<string> pipelines, IAcceleratorProbe acceleratorProbe, TimeProvider timeProvider) : IGuestBackend
{
    /// <summary>Each session launches the appliance VM: seconds with KVM, about ten under TCG.</summary>
    public bool ExpensiveSessions => true;

    private readonly ResiliencePipeline _launchPipeline = pipelines.GetPipeline(ResiliencePipelines.ApplianceLaunch);

    public string Name => "appliance";

    /// <summary>The appliance runs any guest libguestfs can open; whether libguestfs itself is installed shows at launch.</summary>
    public BackendAvailability Availability(GuestLayout? layout) =>
        new(true, "the libguestfs appliance runs every guest, isolated in a VM");

    public async Task<IGuest> OpenAsync(GuestDisk disk, GuestSessionOptions options, IBuildEvents events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(events);
        var diskPath = Path.GetFullPath(disk.Path);
        if (!File.Exists(diskPath)) throw new GuestOperationException("open", diskPath, "no such disk image");

        var accelerator = await acceleratorProbe.ResolveAsync(options.Accelerator, events, cancellationToken).ConfigureAwait(false);
        var acceleratorName = accelerator == Accelerator.Kvm ? "kvm" : "tcg";

        events.Emit(new PhaseStarted("launch", $"Launching appliance ({acceleratorName})"));
        var started = timeProvider.GetTimestamp();
        var connection = await _launchPipeline.ExecuteAsync(
            async token => await LaunchOnceAsync(diskPath, disk.Format, options, accelerator, events, token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        events.Emit(new PhaseCompleted("launch", timeProvider.GetElapsedTime(started)));

        GuestfsGuest guest;
        try
        {
            guest = new GuestfsGuest(connection, connection.GetPid(), options.Network, cancellationToken);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        try
        {
            if (disk.Grow is { } growth) await GrowAsync(guest, growth, events, cancellationToken).ConfigureAwait(false);
            events.Emit(new PhaseStarted("inspect", disk.Layout is null ? "Inspecting guest" : "Mounting guest filesystems"));
            started = timeProvider.GetTimestamp();
            await guest.MountAsync(disk.Layout, events, cancellationToken).ConfigureAwait(false);
            events.Emit(new PhaseCompleted("inspect", timeProvider.GetElapsedTime(started)));
            return guest;
        }
        catch
        {
            await guest.AbandonAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The "grow" phase: the last partition and what is on it grow to the disk's size (see <see cref="DiskGrower"/>).</summary>
    private async Task GrowAsync(GuestfsGuest guest, DiskGrowth growth, IBuildEvents events, CancellationToken cancellationToken)
    {
        var target = await guest.FindGrowthAsync(growth, cancellationToken).ConfigureAwait(false);
        events.Emit(new PhaseStarted("grow", target.Describe(growth.Size)));
        var started = timeProvider.GetTimestamp();
        await guest.GrowAsync(target, cancellationToken).ConfigureAwait(false);
        events.Emit(new PhaseCompleted("grow", timeProvider.GetElapsedTime(started)));
    }

    private async Task<GuestfsConnection> LaunchOnceAsync(
        string diskPath, string format, GuestSessionOptions options, Accelerator accelerator, IBuildEvents events,
        CancellationToken cancellationToken)
    {
        var connection = CreateConnection(events, options.Trace);
        try
        {
            connection.SetBackend("direct");
            if (accelerator == Accelerator.Tcg) connection.SetBackendSetting("force_tcg", "1");
            if (options.Network) connection.SetNetwork(true);
            if (options.Trace)
            {
                connection.SetTrace(true);
                connection.SetVerbose(true);
            }
            connection.AddDrive(diskPath, format, readOnly: false);
            // qemu's default (werror=enospc) pauses the VM when the overlay's host filesystem is full, and the
            // call in flight then waits forever: report the error to the guest instead, so the call fails.
            connection.Config("-set", "drive.hd0.werror=report");
            await ApplianceLauncher.LaunchAsync(
                connection, diskPath, options.LaunchTimeout, accelerator == Accelerator.Kvm ? "kvm" : "tcg",
                timeProvider, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (GuestfsException e)
        {
            connection.Dispose();
            throw new GuestOperationException("launch", diskPath, e.Summary, e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static GuestfsConnection CreateConnection(IBuildEvents events, bool trace)
    {
        try
        {
            return GuestfsConnection.Create(new GuestfsEventSink(events, trace));
        }
        catch (DllNotFoundException e)
        {
            throw new GuestOperationException(
                "launch", null, "libguestfs is not installed (libguestfs.so.0 not found; on Debian: apt-get install libguestfs0)", e);
        }
    }
}

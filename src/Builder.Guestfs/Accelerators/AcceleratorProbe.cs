using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Builder.Execution;
using Builder.Guestfs.Accelerators;
using Builder.Guestfs.Appliance;
using Builder.Guests;
using Builder.Storage;

namespace Builder.Guestfs;

/// <summary>
/// Resolves <see cref="Accelerator.Auto"/>: TCG without a usable /dev/kvm; otherwise KVM only if a
/// kernel boots under it. The probe runs once per host (kernel release, qemu binary, /dev/kvm) and
/// its answer is kept in <c>accel-probe.json</c> in the store. A fallback to TCG is told once per event sink.
/// </summary>
public sealed class AcceleratorProbe : IAcceleratorProbe
{
    public const string EnvironmentVariable = "BUILDER_ACCEL";
    public const string CacheFileName = "accel-probe.json";
    private static readonly TimeSpan BootLimit = TimeSpan.FromSeconds(10);

    private readonly string _kvmDevice;
    private readonly string _bootDirectory;
    private readonly Func<string, string?> _environment;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConditionalWeakTable<IBuildEvents, HashSet<string>> _told = new();
    private Verdict? _verdict;

    public AcceleratorProbe(string? storeDirectory = null)
        : this(storeDirectory ?? BuilderDirectories.Store(), "/dev/kvm", "/boot", Environment.GetEnvironmentVariable)
    {
    }

    internal AcceleratorProbe(string storeDirectory, string kvmDevice, string bootDirectory, Func<string, string?> environment)
    {
        CacheFile = Path.Combine(storeDirectory, CacheFileName);
        _kvmDevice = kvmDevice;
        _bootDirectory = bootDirectory;
        _environment = environment;
    }

    /// <summary>Where the probe's answer is kept.</summary>
    public string CacheFile { get; }

    public async ValueTask<Accelerator> ResolveAsync(Accelerator requested, IBuildEvents events, CancellationToken cancellationToken)
    {
        if (requested != Accelerator.Auto) return requested;
        var fromEnvironment = _environment(EnvironmentVariable)?.Trim().ToLowerInvariant();
        switch (fromEnvironment)
        {
            case "kvm": return Accelerator.Kvm;
            case "tcg": return Accelerator.Tcg;
            case null or "" or "auto": break;
            default:
                TellOnce(events, $"{EnvironmentVariable}={fromEnvironment} is not auto, kvm or tcg; ignoring it");
                break;
        }

        var verdict = await GetVerdictAsync(events, cancellationToken).ConfigureAwait(false);
        if (verdict.KvmUsable) return Accelerator.Kvm;
        if (verdict.Notice is not null) TellOnce(events, verdict.Notice);
        return Accelerator.Tcg;
    }

    private async Task<Verdict> GetVerdictAsync(IBuildEvents events, CancellationToken cancellationToken)
    {
        if (_verdict is { } known) return known;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _verdict ??= await DecideAsync(events, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Verdict> DecideAsync(IBuildEvents events, CancellationToken cancellationToken)
    {
        if (!KvmDeviceUsable()) return new(false, null);
        // The boot probe is x86-specific; elsewhere libguestfs's own kvm:tcg fallback decides.
        if (RuntimeInformation.OSArchitecture != Architecture.X64) return new(true, null);

        var kernel = NewestReadableKernel();
        if (kernel is null)
            return new(false, $"KVM is present but there is no readable kernel in {_bootDirectory} to probe it with; using TCG, which is slower");
        var qemu = FindQemu();
        if (qemu is null)
            return new(false, "KVM is present but qemu-system-x86_64 was not found to probe it with; using TCG, which is slower");

        var key = new ProbeKey(
            File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            qemu,
            new FileInfo(qemu).Length,
            File.GetLastWriteTimeUtc(qemu).ToString("O"),
            KvmDevice: true,
            kernel);
        var entry = AcceleratorProbeCache.Read(CacheFile, key);
        if (entry is null)
        {
            events.Emit(new PhaseStarted("accelerator-probe", "Probing whether KVM can boot a kernel"));
            var started = Stopwatch.GetTimestamp();
            bool booted;
            string detail;
            try
            {
                (booted, detail) = await KvmBootProbe.RunAsync(qemu, kernel, BootLimit, cancellationToken).ConfigureAwait(false);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                return new(false, $"KVM is present but {qemu} could not be run to probe it ({e.Message}); using TCG, which is slower");
            }
            events.Emit(new PhaseCompleted("accelerator-probe", Stopwatch.GetElapsedTime(started)));
            entry = new ProbeCacheEntry(key, booted, detail);
            AcceleratorProbeCache.Write(CacheFile, entry);
        }
        return entry.KvmUsable
            ? new(true, null)
            : new(false, $"KVM is present but unusable ({entry.Detail}); using TCG, which is slower");
    }

    private bool KvmDeviceUsable()
    {
        try
        {
            using var handle = File.OpenHandle(_kvmDevice, FileMode.Open, FileAccess.ReadWrite);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private string? NewestReadableKernel()
    {
        if (!Directory.Exists(_bootDirectory)) return null;
        foreach (var file in new DirectoryInfo(_bootDirectory).EnumerateFiles("vmlinuz-*").OrderByDescending(f => f.LastWriteTimeUtc))
        {
            try
            {
                using var stream = file.OpenRead();
                return file.FullName;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return null;
    }

    /// <summary>The qemu libguestfs would use: LIBGUESTFS_HV, else qemu-system-x86_64 on PATH; symlinks resolved.</summary>
    private string? FindQemu()
    {
        var configured = _environment("LIBGUESTFS_HV");
        var candidates = !string.IsNullOrEmpty(configured)
            ? [configured]
            : (_environment("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(directory => Path.Combine(directory, "qemu-system-x86_64"));
        var found = candidates.FirstOrDefault(File.Exists);
        return found is null ? null : QemuProcesses.RealPath(found);
    }

    private void TellOnce(IBuildEvents events, string message)
    {
        var told = _told.GetValue(events, _ => []);
        bool first;
        lock (told) first = told.Add(message);
        if (first) events.Emit(new Notice(message));
    }

    private sealed record Verdict(bool KvmUsable, string? Notice);
}

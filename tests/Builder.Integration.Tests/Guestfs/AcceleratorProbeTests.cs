using System.Diagnostics;
using System.Text.Json.Nodes;
using Builder.Execution;
using Builder.Guestfs;
using Builder.Guests;

namespace Builder.IntegrationTests.Guestfs;

/// <summary>The KVM probe, run for real with qemu and the host kernel in /boot.</summary>
[Collection(ApplianceCollection.Name)]
public sealed class AcceleratorProbeTests : IDisposable
{
    private readonly TestWorkspace _workspace = TestWorkspace.Create("probe");

    /// <summary>The host's environment without BUILDER_ACCEL, so a developer's setting cannot change the outcome.</summary>
    private static string? HostEnvironment(string name) =>
        name == AcceleratorProbe.EnvironmentVariable ? null : Environment.GetEnvironmentVariable(name);

    private AcceleratorProbe Probe(string kvmDevice = "/dev/kvm", string boot = "/boot", Func<string, string?>? environment = null) =>
        new(_workspace.File("store"), kvmDevice, boot, environment ?? HostEnvironment);

    /// <summary>A stand-in for /dev/kvm that opens read-write, so the probe runs even on a host without one.</summary>
    private string OpenableKvmDevice()
    {
        var path = _workspace.File("kvm");
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public async Task Auto_resolves_to_tcg_on_these_hosts_and_says_why_once()
    {
        var events = new RecordingEvents();
        var probe = Probe();

        Assert.Equal(Accelerator.Tcg, await probe.ResolveAsync(Accelerator.Auto, events, CancellationToken.None));
        Assert.Equal(Accelerator.Tcg, await probe.ResolveAsync(Accelerator.Auto, events, CancellationToken.None));

        // DESIGN.md §5: /dev/kvm exists here but qemu aborts ("failed to set MSR 0x10a").
        if (File.Exists("/dev/kvm"))
        {
            var notice = Assert.Single(events.OfType<Notice>());
            Assert.StartsWith("KVM is present but unusable (qemu: ", notice.Message);
            Assert.EndsWith("); using TCG, which is slower", notice.Message);
            Assert.True(File.Exists(probe.CacheFile));
        }
        else
        {
            Assert.Empty(events.OfType<Notice>());
        }
    }

    [Fact]
    public async Task A_second_probe_reuses_the_cached_answer_without_running_qemu()
    {
        var kvm = OpenableKvmDevice();
        var first = Probe(kvm);
        Assert.Equal(Accelerator.Tcg, await first.ResolveAsync(Accelerator.Auto, IBuildEvents.None, CancellationToken.None));
        // Flip the stored answer: only a probe that answers from the cache can say Kvm on this host.
        var cached = JsonNode.Parse(await File.ReadAllTextAsync(first.CacheFile))!;
        cached["kvmUsable"] = true;
        await File.WriteAllTextAsync(first.CacheFile, cached.ToJsonString());
        var events = new RecordingEvents();
        var stopwatch = Stopwatch.StartNew();

        var second = await Probe(kvm).ResolveAsync(Accelerator.Auto, events, CancellationToken.None);

        Assert.Equal(Accelerator.Kvm, second);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromMilliseconds(500), $"took {stopwatch.Elapsed}");
        Assert.Empty(events.OfType<PhaseStarted>());
    }

    [Fact]
    public async Task A_cached_answer_for_another_kernel_release_is_probed_again()
    {
        var kvm = OpenableKvmDevice();
        var first = Probe(kvm);
        await first.ResolveAsync(Accelerator.Auto, IBuildEvents.None, CancellationToken.None);
        var cached = JsonNode.Parse(await File.ReadAllTextAsync(first.CacheFile))!;
        var release = (string)cached["key"]!["kernelRelease"]!;
        cached["key"]!["kernelRelease"] = "0.0.0-another-host";
        cached["kvmUsable"] = true;
        await File.WriteAllTextAsync(first.CacheFile, cached.ToJsonString());
        var events = new RecordingEvents();

        var second = await Probe(kvm).ResolveAsync(Accelerator.Auto, events, CancellationToken.None);

        Assert.Equal(Accelerator.Tcg, second);
        Assert.Contains(events.OfType<PhaseStarted>(), e => e.Phase == "accelerator-probe");
        Assert.Equal(release, (string)JsonNode.Parse(await File.ReadAllTextAsync(first.CacheFile))!["key"]!["kernelRelease"]!);
    }

    [Theory]
    [InlineData(Accelerator.Kvm, null, Accelerator.Kvm)]
    [InlineData(Accelerator.Tcg, "kvm", Accelerator.Tcg)]
    [InlineData(Accelerator.Auto, "kvm", Accelerator.Kvm)]
    [InlineData(Accelerator.Auto, " TCG ", Accelerator.Tcg)]
    public async Task A_forced_accelerator_or_BUILDER_ACCEL_is_used_without_probing(Accelerator requested, string? variable, Accelerator expected)
    {
        var probe = Probe(OpenableKvmDevice(), environment: name => name == AcceleratorProbe.EnvironmentVariable ? variable : HostEnvironment(name));
        var events = new RecordingEvents();

        Assert.Equal(expected, await probe.ResolveAsync(requested, events, CancellationToken.None));

        Assert.Empty(events.All);
        Assert.False(File.Exists(probe.CacheFile));
    }

    [Fact]
    public async Task A_BUILDER_ACCEL_value_that_is_not_understood_is_reported_and_ignored()
    {
        var probe = Probe(_workspace.File("no-such-kvm"), environment: name => name == AcceleratorProbe.EnvironmentVariable ? "fast" : null);
        var events = new RecordingEvents();

        Assert.Equal(Accelerator.Tcg, await probe.ResolveAsync(Accelerator.Auto, events, CancellationToken.None));

        Assert.Equal("BUILDER_ACCEL=fast is not auto, kvm or tcg; ignoring it", Assert.Single(events.OfType<Notice>()).Message);
    }

    [Fact]
    public async Task Without_a_usable_kvm_device_tcg_is_chosen_quietly()
    {
        var probe = Probe(kvmDevice: _workspace.File("no-such-kvm"));
        var events = new RecordingEvents();

        Assert.Equal(Accelerator.Tcg, await probe.ResolveAsync(Accelerator.Auto, events, CancellationToken.None));

        Assert.Empty(events.All);
        Assert.False(File.Exists(probe.CacheFile));
    }

    [Fact]
    public async Task Without_a_kernel_to_probe_with_tcg_is_chosen_with_a_notice()
    {
        var emptyBoot = Directory.CreateDirectory(_workspace.File("boot")).FullName;
        var events = new RecordingEvents();

        var resolved = await Probe(OpenableKvmDevice(), emptyBoot).ResolveAsync(Accelerator.Auto, events, CancellationToken.None);

        Assert.Equal(Accelerator.Tcg, resolved);
        Assert.Contains("no readable kernel", Assert.Single(events.OfType<Notice>()).Message);
    }

    public void Dispose() => _workspace.Dispose();
}

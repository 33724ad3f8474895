using System.Diagnostics;
using Builder.Execution;
using Builder.IntegrationTests.Pipeline;
using Builder.IntegrationTests.Repositories;
using Builder.IntegrationTests.Templates;
using Xunit.Abstractions;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// A package mirror that stops answering in the middle of a package: the guest's apt reaches a
/// loopback server (the host's 127.0.0.1; 169.254.2.2 from the appliance's user-mode network) that
/// serves the lists and half of the .deb, then neither sends nor closes. The install fails in
/// bounded time (apt's timeouts, which Builder sets) saying the mirror could not be reached.
/// </summary>
public abstract class MirrorStallTests(DebianTemplate debian, BackendChoice backend, string hostAddress, ITestOutputHelper output) : IDisposable
{
    private readonly string _served = Directory.CreateTempSubdirectory("builder-mirror-").FullName;

    public void Dispose() => Directory.Delete(_served, recursive: true);

    [Fact]
    public async Task A_mirror_that_stops_answering_mid_package_fails_the_install_in_bounded_time_saying_so()
    {
        // Given a mirror that stalls halfway through the package's file
        var size = LocalAptRepository.Create(_served);
        await using var mirror = new LoopbackHttpServer(_served);
        mirror.StallAt(LocalAptRepository.DebFile, size / 2);
        var source = $"deb [trusted=yes] http://{hostAddress}:{mirror.BaseUri.Port}/ ./";
        var stopwatch = Stopwatch.StartNew();

        // When a recipe installs the package from it
        using var run = await RecipeRun.BuildAsync(debian, backend, $"""
              - script: |
                  rm -rf /etc/apt/sources.list.d/* /var/lib/apt/lists/*
                  echo '{source}' > /etc/apt/sources.list
              - install: [{LocalAptRepository.Package}]

            """);

        // Then the install fails within a bound, naming the mirror, and no image is written
        output.WriteLine($"failed after {stopwatch.Elapsed.TotalSeconds:0} s: {run.Result.Error?.Message}\n{run.Result.Error?.Hint}");
        Assert.Equal(BuildOutcome.Failed, run.Result.Outcome);
        Assert.Equal(3, mirror.Requests("./" + LocalAptRepository.DebFile)); // Builder's Acquire::Retries=2
        Assert.StartsWith("step 2 (install, ", run.Result.Error!.Message);
        Assert.EndsWith($"failed: the guest could not reach its package mirror while installing {LocalAptRepository.Package} (apt exited 100): " +
            $"Failed to fetch http://{hostAddress}:{mirror.BaseUri.Port}/./{LocalAptRepository.DebFile} Connection timed out [IP: {hostAddress} {mirror.BaseUri.Port}]",
            run.Result.Error.Message);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromMinutes(3), $"took {stopwatch.Elapsed}");
        Assert.Equal(["image.qcow2.build.log"], run.OutputEntries());
    }
}

// The appliance variant (hostAddress 169.254.2.2, its user-mode network's way to the host) passed
// in 110 s when written; it is left out of the suite, which runs the template tests one after
// another: the timeouts are apt's inside the guest, the same on both backends, and the appliance's
// path to an unreachable mirror is tested by PackageAndScriptTests.
[Collection(DebianTemplateCollection.Name)]
public sealed class HostMirrorStallTests(DebianTemplate debian, ITestOutputHelper output)
    : MirrorStallTests(debian, BackendChoice.Host, "127.0.0.1", output);

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Builder.Execution;
using Builder.Guestfs;
using Builder.Resilience;
using Polly.Registry;

namespace Builder.IntegrationTests.Guestfs;

/// <summary>Every appliance test runs in this collection, one launch at a time: two TCG appliances on two cores distort timings.</summary>
[CollectionDefinition(Name)]
public sealed class ApplianceCollection
{
    public const string Name = "libguestfs appliance";
}

/// <summary>Collects the events a backend emits.</summary>
internal sealed class RecordingEvents : IBuildEvents
{
    private readonly ConcurrentQueue<BuildEvent> _events = new();

    public IReadOnlyList<BuildEvent> All => [.. _events];

    public void Emit(BuildEvent buildEvent) => _events.Enqueue(buildEvent);

    public IReadOnlyList<T> OfType<T>() where T : BuildEvent => [.. _events.OfType<T>()];
}

/// <summary>A scratch directory with the fixture disks: the tiny template, overlays, host files.</summary>
internal sealed class TestWorkspace : IDisposable
{
    private TestWorkspace(string path) => Path = path;

    public string Path { get; }

    public static TestWorkspace Create(string purpose)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"builder-guestfs-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return new TestWorkspace(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>templates/tiny/build: a Debian-12-like tree on an MBR-partitioned ext4 disk.</summary>
    public string BuildTinyTemplate()
    {
        var output = File("tiny.qcow2");
        Tools.Run(System.IO.Path.Combine(Tools.RepositoryRoot, "templates", "tiny", "build"), output);
        return output;
    }

    /// <summary>qemu-img create -f qcow2 -F qcow2 -b TEMPLATE: the disk a session opens.</summary>
    public string CreateOverlay(string template, string name = "overlay.qcow2")
    {
        var overlay = File(name);
        Tools.Run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", template, overlay);
        return overlay;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

internal static class Tools
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static GuestfsBackend Backend(string storeDirectory) =>
        new(Pipelines(), new AcceleratorProbe(storeDirectory), TimeProvider.System);

    public static ResiliencePipelineProvider<string> Pipelines()
    {
        var registry = new ResiliencePipelineRegistry<string>();
        ResiliencePipelines.Configure(registry);
        return registry;
    }

    public static string Sha256(string file)
    {
        using var stream = System.IO.File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Runs a tool and returns its standard output; a non-zero exit fails the test with its standard error.</summary>
    public static string Run(string program, params string[] arguments) => RunWithInput(null, program, arguments);

    /// <summary><see cref="Run"/>, with <paramref name="input"/> (when not null) on the tool's standard input.</summary>
    public static string RunWithInput(string? input, string program, params string[] arguments)
    {
        var (code, output, error) = Exec(input, program, arguments);
        if (code != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {code}: {error}");
        return output;
    }

    /// <summary>Runs a tool whose exit code the caller judges: the code, standard output and standard error.</summary>
    public static (int Code, string Output, string Error) Exec(string? input, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "Builder.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"no Builder.sln above {AppContext.BaseDirectory}");
    }
}

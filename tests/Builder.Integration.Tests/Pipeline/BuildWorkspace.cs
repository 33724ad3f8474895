using System.Diagnostics;
using Builder.IntegrationTests.Guestfs;

namespace Builder.IntegrationTests.Pipeline;

/// <summary>
/// A folder for one build test: the tiny template (its sha256 taken before anything runs), the
/// recipe and its host files, and the output folder. It can tell whether a build left anything behind.
/// </summary>
internal sealed class BuildWorkspace : IDisposable
{
    private BuildWorkspace(string path)
    {
        Path = path;
        Template = System.IO.Path.Combine(path, "templates", "tiny.qcow2");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Template)!);
        Tools.Run(System.IO.Path.Combine(Tools.RepositoryRoot, "templates", "tiny", "build"), Template);
        TemplateSha256 = Tools.Sha256(Template);
        Directory.CreateDirectory(OutputFolder);
    }

    public string Path { get; }

    /// <summary>The template every recipe here names as "templates/tiny.qcow2".</summary>
    public string Template { get; }

    public string TemplateSha256 { get; }

    public string OutputFolder => System.IO.Path.Combine(Path, "out");

    /// <summary>A separate store, so the accelerator probe's cache is this test's own.</summary>
    public string Store => System.IO.Path.Combine(Path, "store");

    public Dictionary<string, string> Environment => new() { ["BUILDER_STORE"] = Store };

    public static BuildWorkspace Create(string purpose) =>
        new(Directory.CreateTempSubdirectory($"builder-{purpose}-").FullName);

    public string Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public string Output(string name) => System.IO.Path.Combine(OutputFolder, name);

    /// <summary>Everything in the output folder, dot-files (work folders) included.</summary>
    public IReadOnlyList<string> OutputEntries() =>
        Directory.EnumerateFileSystemEntries(OutputFolder).Select(System.IO.Path.GetFileName).Order().ToList()!;

    /// <summary>Everything below the output folder, relative to it, files and folders (work folders included).</summary>
    public IReadOnlyList<string> OutputTree() =>
        Directory.EnumerateFileSystemEntries(OutputFolder, "*", SearchOption.AllDirectories)
            .Select(p => System.IO.Path.GetRelativePath(OutputFolder, p)).Order(StringComparer.Ordinal).ToList();

    /// <summary>qemu processes whose command line names a file in this workspace.</summary>
    public IReadOnlyList<int> QemuProcesses() =>
        Process.GetProcesses()
            .Where(p => p.ProcessName.StartsWith("qemu", StringComparison.Ordinal))
            .Where(p =>
            {
                try { return File.ReadAllText($"/proc/{p.Id}/cmdline").Contains(Path, StringComparison.Ordinal); }
                catch (IOException) { return false; }
            })
            .Select(p => p.Id)
            .ToList();

    /// <summary>Mounts, loop devices and qemu-storage-daemon processes that still refer to this workspace.</summary>
    public IReadOnlyList<string> HostLeftovers() => Leftovers.Under(Path);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

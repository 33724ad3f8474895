using System.Globalization;
using System.Runtime.InteropServices;
using Builder.DependencyInjection;
using Builder.Templates.Repositories;
using Builder.Templates.Repositories.Sources;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.IntegrationTests.Repositories;

/// <summary>
/// One repository test's folder: served/ (what the loopback server serves), repos.d/ (its own
/// configuration, and nothing from the machine), store/ (its own template store).
/// </summary>
internal sealed class RepositoryWorkspace : IDisposable
{
    public const string Name = "tiny";
    public const string File = "tiny.qcow2.xz";

    private readonly RepositoryFixture fixture;

    public RepositoryWorkspace(RepositoryFixture fixture)
    {
        this.fixture = fixture;
        Path = Directory.CreateTempSubdirectory("builder-repos-").FullName;
        Directory.CreateDirectory(Served);
        Directory.CreateDirectory(ReposD);
    }

    public string Path { get; }

    public string Served => System.IO.Path.Combine(Path, "served");

    public string ReposD => System.IO.Path.Combine(Path, "repos.d");

    public string Store => System.IO.Path.Combine(Path, "store");

    /// <summary>This machine's arch as virt-builder names it, which the CLI pulls by default.</summary>
    public static string HostArch => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "aarch64" : "x86_64";

    /// <summary>The environment for a builder process: this store and repos.d, and no user configuration.</summary>
    public Dictionary<string, string> Environment => new()
    {
        ["BUILDER_STORE"] = Store,
        [RepositoryConfigFolders.FolderVariable] = ReposD,
        ["XDG_CONFIG_HOME"] = System.IO.Path.Combine(Path, "config"),
        ["GNUPGHOME"] = fixture.GnuPgHome,
    };

    /// <summary>Serves the tiny template with an index (and index.asc when signed) describing it.</summary>
    /// <param name="sha512">The checksum to give; "" for none; by default the served file's.</param>
    /// <param name="compressed">An xz file to serve instead of the tiny template.</param>
    public void ServeTemplate(bool signed = true, string? sha512 = null, string? compressed = null)
    {
        compressed ??= fixture.CompressedTemplate;
        System.IO.File.Copy(compressed, System.IO.Path.Combine(Served, File), overwrite: true);
        sha512 ??= RepositoryFixture.Sha512(compressed);
        var checksum = sha512.Length == 0 ? "" : $"checksum[sha512]={sha512}\n";
        var index = System.IO.Path.Combine(Served, "index");
        System.IO.File.WriteAllText(index,
            $"# test repository\n[{Name}]\nname=Tiny test template\nosinfo=debian12\narch={HostArch}\nfile={File}\n{checksum}" +
            $"format=qcow2\nsize={fixture.VirtualSize.ToString(CultureInfo.InvariantCulture)}\n" +
            $"compressed_size={new FileInfo(compressed).Length.ToString(CultureInfo.InvariantCulture)}\n" +
            "expand=/dev/sda1\naliases=tiny-debian\nnotes=A tiny template\n \n It does not boot.\n");
        if (signed) fixture.ClearSign(index, index + ".asc");
    }

    /// <summary>Writes repos.d/ID.conf for an index, with the test key unless told otherwise.</summary>
    public void Configure(string id, Uri index, string? keyFile)
    {
        var key = keyFile is null ? "" : $"gpgkey={new Uri(keyFile).AbsoluteUri}\n";
        System.IO.File.WriteAllText(System.IO.Path.Combine(ReposD, id + ".conf"), $"[{id}]\nuri={index.AbsoluteUri}\n{key}");
    }

    /// <summary>The services a library caller would have, with this store and only this repos.d.</summary>
    /// <param name="configure">Registers a test's own services first, which then win over the defaults.</param>
    public ServiceProvider Services(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection().AddSingleton(new RepositoryConfigFolders([ReposD]));
        configure?.Invoke(services);
        return services.AddBuilderCore(Store).AddTemplateRepositories().BuildServiceProvider();
    }

    /// <summary>Names in the store: refs, template folders, scratch folders.</summary>
    public (IReadOnlyList<string> Refs, IReadOnlyList<string> Templates, IReadOnlyList<string> Scratch) StoreContents() =>
        (Entries("refs"), Entries("templates"), Entries("tmp"));

    private IReadOnlyList<string> Entries(string folder)
    {
        var full = System.IO.Path.Combine(Store, folder);
        return Directory.Exists(full)
            ? Directory.EnumerateFileSystemEntries(full).Select(e => System.IO.Path.GetFileName(e)).Order().ToList()
            : [];
    }

    public void Dispose()
    {
        // Stored templates are read-only: make their folders writable again to delete them.
        foreach (var folder in Directory.EnumerateDirectories(Path, "*", SearchOption.AllDirectories))
            System.IO.File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

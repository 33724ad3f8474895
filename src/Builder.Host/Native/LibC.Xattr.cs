using System.Runtime.InteropServices;

namespace Builder.Host.Native;

/// <summary>llistxattr and lgetxattr: an entry's extended attributes, a symlink's own included.</summary>
internal static unsafe partial class LibC
{
    [LibraryImport(Library, EntryPoint = "llistxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint Llistxattr(string path, byte* list, nuint size);

    [LibraryImport(Library, EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint Lgetxattr(string path, string name, byte* value, nuint size);
}

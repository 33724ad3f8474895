using System.Runtime.InteropServices;
using System.Text;
using Builder.Guests;
using Builder.Host.Native;

namespace Builder.Host.Files;

/// <summary>
/// An entry's extended attributes, read through a path that names it without following it
/// (llistxattr, lgetxattr): "/proc/self/fd/N/name", where N is the folder's fd.
/// </summary>
internal static unsafe class EntryXattrs
{
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        var names = List(path);
        if (names.Count == 0) return GuestTreeEntry.NoXattrs;
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
            if (Value(path, name) is { } value) values[name] = Encoding.UTF8.GetString(value);
        return values;
    }

    private static List<string> List(string path)
    {
        while (true)
        {
            var size = LibC.Llistxattr(path, null, 0);
            if (size < 0) return Marshal.GetLastPInvokeError() == Errno.EOPNOTSUPP ? [] : throw NativeException.Last("llistxattr");
            if (size == 0) return [];
            var buffer = new byte[size];
            nint length;
            fixed (byte* pointer = buffer) length = LibC.Llistxattr(path, pointer, (nuint)buffer.Length);
            if (length < 0 && Marshal.GetLastPInvokeError() == Errno.ERANGE) continue;
            if (length < 0) throw NativeException.Last("llistxattr");
            return Encoding.UTF8.GetString(buffer, 0, (int)length).Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
        }
    }

    private static byte[]? Value(string path, string name)
    {
        while (true)
        {
            var size = LibC.Lgetxattr(path, name, null, 0);
            if (size < 0) return Marshal.GetLastPInvokeError() == Errno.ENODATA ? null : throw NativeException.Last("lgetxattr");
            var buffer = new byte[size];
            nint length;
            fixed (byte* pointer = buffer) length = LibC.Lgetxattr(path, name, pointer, (nuint)buffer.Length);
            if (length < 0 && Marshal.GetLastPInvokeError() == Errno.ERANGE) continue;
            if (length < 0) return Marshal.GetLastPInvokeError() == Errno.ENODATA ? null : throw NativeException.Last("lgetxattr");
            return buffer[..(int)length];
        }
    }
}

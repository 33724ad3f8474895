using System.Runtime.InteropServices;

namespace Builder.Guestfs.Native;

/// <summary>Copies libguestfs results into managed objects and frees them with the C library's free().</summary>
internal static unsafe class NativeMemoryHelpers
{
    public static string TakeString(byte* value)
    {
        try { return Marshal.PtrToStringUTF8((IntPtr)value) ?? ""; }
        finally { NativeMemory.Free(value); }
    }

    /// <summary>A NULL-terminated char** whose strings and array are all owned by the caller.</summary>
    public static string[] TakeStringList(byte** list)
    {
        var result = new List<string>();
        try
        {
            for (var item = list; *item != null; item++) result.Add(Marshal.PtrToStringUTF8((IntPtr)(*item)) ?? "");
        }
        finally
        {
            for (var item = list; *item != null; item++) NativeMemory.Free(*item);
            NativeMemory.Free(list);
        }
        return [.. result];
    }

    /// <summary>A hash list (key, value, key, value, …) as pairs.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> TakeHashList(byte** list)
    {
        var flat = TakeStringList(list);
        var pairs = new List<KeyValuePair<string, string>>(flat.Length / 2);
        for (var i = 0; i + 1 < flat.Length; i += 2) pairs.Add(new(flat[i], flat[i + 1]));
        return pairs;
    }
}

using System.Runtime.InteropServices;

namespace Builder.Crypt;

/// <summary>The reentrant parts of libxcrypt (libcrypt.so.1) that hashing needs.</summary>
internal static unsafe partial class LibCrypt
{
    private const string Library = "libcrypt.so.1";

    /// <summary>sizeof(struct crypt_data).</summary>
    public const int DataSize = 32768;

    /// <summary>CRYPT_GENSALT_OUTPUT_SIZE.</summary>
    public const int GensaltOutputSize = 192;

    [LibraryImport(Library, EntryPoint = "crypt_gensalt_rn")]
    public static partial byte* GensaltRn(byte* prefix, nuint count, byte* randomBytes, int randomByteCount, byte* output, int outputSize);

    [LibraryImport(Library, EntryPoint = "crypt_rn")]
    public static partial byte* CryptRn(byte* phrase, byte* setting, void* data, int size);
}

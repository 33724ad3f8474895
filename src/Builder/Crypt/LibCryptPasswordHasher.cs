using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Builder.Secrets;

namespace Builder.Crypt;

/// <summary>
/// Hashes passwords with the build host's libcrypt (yescrypt or SHA-512 crypt), in-process, so
/// the plaintext is never an argument of any program. Buffers that held it are zeroed.
/// </summary>
public sealed unsafe class LibCryptPasswordHasher : IPasswordHasher
{
    public string Hash(string password, PasswordHashMethod method, ReadOnlySpan<byte> salt)
    {
        if (salt.Length < 16) throw new ArgumentException("a salt needs at least 16 random bytes", nameof(salt));
        var prefix = method == PasswordHashMethod.Yescrypt ? "$y$"u8 : "$6$"u8;
        var phraseBytes = Encoding.UTF8.GetByteCount(password) + 1;
        if (phraseBytes > 512) throw new ArgumentException("the password is longer than libcrypt accepts (511 bytes)");

        var phrase = (byte*)NativeMemory.AllocZeroed((nuint)phraseBytes);
        var data = NativeMemory.AllocZeroed(LibCrypt.DataSize);
        var setting = stackalloc byte[LibCrypt.GensaltOutputSize];
        var prefixZ = stackalloc byte[prefix.Length + 1];
        try
        {
            Encoding.UTF8.GetBytes(password, new Span<byte>(phrase, phraseBytes - 1));
            prefix.CopyTo(new Span<byte>(prefixZ, prefix.Length));
            prefixZ[prefix.Length] = 0;
            fixed (byte* random = salt)
            {
                if (LibCrypt.GensaltRn(prefixZ, 0, random, salt.Length, setting, LibCrypt.GensaltOutputSize) is null)
                    throw new CryptographicException($"libcrypt cannot make a {method} salt: {Marshal.GetLastPInvokeErrorMessage()}");
            }
            var hashed = LibCrypt.CryptRn(phrase, setting, data, LibCrypt.DataSize);
            if (hashed is null || hashed[0] == (byte)'*')
                throw new CryptographicException($"libcrypt cannot hash with {method}");
            return Marshal.PtrToStringUTF8((nint)hashed)!;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(new Span<byte>(phrase, phraseBytes));
            CryptographicOperations.ZeroMemory(new Span<byte>(data, LibCrypt.DataSize));
            NativeMemory.Free(phrase);
            NativeMemory.Free(data);
        }
    }
}

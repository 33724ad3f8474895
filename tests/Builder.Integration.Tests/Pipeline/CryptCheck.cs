using System.Runtime.InteropServices;
using System.Text;
using Builder.Crypt;

namespace Builder.IntegrationTests.Pipeline;

/// <summary>Checks a password against a crypt(3) hash with the host's libcrypt, as login would.</summary>
internal static unsafe class CryptCheck
{
    public static bool Matches(string password, string hash)
    {
        var data = NativeMemory.AllocZeroed(LibCrypt.DataSize);
        try
        {
            fixed (byte* phrase = Encoding.UTF8.GetBytes(password + "\0"))
            fixed (byte* setting = Encoding.UTF8.GetBytes(hash + "\0"))
            {
                var result = LibCrypt.CryptRn(phrase, setting, data, LibCrypt.DataSize);
                return result is not null && Marshal.PtrToStringUTF8((nint)result) == hash;
            }
        }
        finally
        {
            NativeMemory.Free(data);
        }
    }
}

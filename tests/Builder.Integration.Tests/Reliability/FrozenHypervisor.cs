using System.Runtime.InteropServices;

namespace Builder.IntegrationTests.Reliability;

/// <summary>
/// Points libguestfs (LIBGUESTFS_HV, read when a handle is created) at a wrapper script that starts
/// qemu with -S, so the VM's CPUs never run and a launch hangs as on a wedged host, but only for a qemu
/// whose command line holds the marker: other sessions of this test process pass straight through.
/// The variable is set with setenv(3), since libguestfs reads the C environment, which
/// Environment.SetEnvironmentVariable does not change. Disposing restores it.
/// </summary>
internal sealed partial class FrozenHypervisor : IDisposable
{
    private const string Variable = "LIBGUESTFS_HV";
    private readonly string? _previous;

    private FrozenHypervisor(string? previous) => _previous = previous;

    public static FrozenHypervisor Install(string marker, string scriptPath)
    {
        var previous = Marshal.PtrToStringUTF8(GetEnv(Variable));
        var qemu = previous ?? "/usr/bin/qemu-system-x86_64";
        File.WriteAllText(scriptPath, $"""
            #!/bin/sh
            case "$*" in
              *'{marker}'*) exec '{qemu}' -S "$@" ;;
            esac
            exec '{qemu}' "$@"

            """);
        File.SetUnixFileMode(scriptPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (SetEnv(Variable, scriptPath, 1) != 0) throw new InvalidOperationException($"setenv failed: errno {Marshal.GetLastPInvokeError()}");
        return new FrozenHypervisor(previous);
    }

    public void Dispose()
    {
        if (_previous is null) UnsetEnv(Variable);
        else SetEnv(Variable, _previous, 1);
    }

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnsetEnv(string name);
}

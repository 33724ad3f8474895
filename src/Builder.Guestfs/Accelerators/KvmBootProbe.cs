using System.Diagnostics;
using System.Text;

namespace Builder.Guestfs.Accelerators;

/// <summary>
/// Boots a host kernel under qemu with <c>-accel kvm -cpu host</c> and watches the serial console for
/// "Linux version". A /dev/kvm that exists may still be unusable (nested virtualisation that rejects
/// MSR writes: qemu aborts with "failed to set MSR 0x10a"), and only a boot tells.
/// </summary>
internal static class KvmBootProbe
{
    private const string Banner = "Linux version";

    /// <summary>Whether the kernel printed its banner within the limit, and otherwise why not.</summary>
    public static async Task<(bool Booted, string Detail)> RunAsync(
        string qemu, string kernel, TimeSpan limit, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(qemu)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[]
                 {
                     "-accel", "kvm", "-cpu", "host", "-m", "256", "-nodefaults", "-display", "none", "-no-reboot",
                     "-serial", "stdio", "-kernel", kernel, "-append", "console=ttyS0 panic=-1",
                 })
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {qemu}");
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);

        // Killing closes the console pipe, which ends the read loop: on time-out, on cancellation, and after the banner.
        using var limitSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limitSource.CancelAfter(limit);
        using var killOnLimit = limitSource.Token.Register(() => Kill(process));
        bool booted;
        try
        {
            booted = await WatchForBannerAsync(process.StandardOutput.BaseStream).ConfigureAwait(false);
        }
        finally
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (booted) return (true, "the kernel booted under KVM");

        var error = FirstLine(await errors.ConfigureAwait(false));
        if (error is not null) return (false, error);
        return limitSource.IsCancellationRequested
            ? (false, $"the kernel printed nothing within {limit.TotalSeconds:0} s")
            : (false, $"qemu exited with code {process.ExitCode} before the kernel printed anything");
    }

    private static async Task<bool> WatchForBannerAsync(Stream console)
    {
        var buffer = new byte[4096];
        var seen = new StringBuilder();
        int read;
        while ((read = await console.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            seen.Append(Encoding.Latin1.GetString(buffer, 0, read));
            if (seen.ToString().Contains(Banner, StringComparison.Ordinal)) return true;
            if (seen.Length > Banner.Length) seen.Remove(0, seen.Length - Banner.Length);
        }
        return false;
    }

    /// <summary>"qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69" → "qemu: failed to set MSR 0x10a to 0x69".</summary>
    internal static string? FirstLine(string stderr)
    {
        var line = stderr.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        if (line is null) return null;
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (line.StartsWith("qemu-system-", StringComparison.Ordinal) && colon > 0) line = line[(colon + 2)..];
        if (line.StartsWith("error: ", StringComparison.Ordinal)) line = line["error: ".Length..];
        return $"qemu: {line}";
    }

    private static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }
}

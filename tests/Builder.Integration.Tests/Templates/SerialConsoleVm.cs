using System.Diagnostics;
using System.Text;

namespace Builder.IntegrationTests.Templates;

/// <summary>
/// Boots a disk image under qemu (TCG: KVM does not boot here) with its serial console on this
/// process's pipes, so a test can wait for what the guest prints and type at its prompts. The
/// disk is opened with snapshot=on: booting never changes the image.
/// </summary>
internal sealed class SerialConsoleVm : IDisposable
{
    private readonly Process qemu;
    private readonly StringBuilder console = new();

    private SerialConsoleVm(Process qemu)
    {
        this.qemu = qemu;
        _ = Task.Run(ReadConsoleAsync);
    }

    public string Console { get { lock (console) return console.ToString(); } }

    public static SerialConsoleVm Boot(string image, string format)
    {
        var start = new ProcessStartInfo("qemu-system-x86_64")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "-accel", "tcg", "-m", "1024", "-nodefaults", "-display", "none", "-no-reboot",
                     "-serial", "stdio",
                     "-drive", $"file={image},format={format},if=virtio,snapshot=on",
                     "-netdev", "user,id=net0", "-device", "virtio-net-pci,netdev=net0",
                 })
            start.ArgumentList.Add(argument);
        return new SerialConsoleVm(Process.Start(start)!);
    }

    /// <summary>Waits until the console shows the text (after <paramref name="from"/> characters), and returns where it ends.</summary>
    public async Task<int> WaitForAsync(string text, TimeSpan timeout, int from = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var seen = Console;
            var at = seen.IndexOf(text, Math.Min(from, seen.Length), StringComparison.Ordinal);
            if (at >= 0) return at + text.Length;
            if (qemu.HasExited) throw new InvalidOperationException($"qemu exited ({qemu.ExitCode}) before '{text}':\n{Tail(seen)}\n{await qemu.StandardError.ReadToEndAsync()}");
            await Task.Delay(200);
        }
        throw new TimeoutException($"the guest did not print '{text}' within {timeout}; the console ends with:\n{Tail(Console)}");
    }

    public async Task TypeAsync(string line)
    {
        await qemu.StandardInput.WriteAsync(line + "\n");
        await qemu.StandardInput.FlushAsync();
    }

    public void Dispose()
    {
        if (!qemu.HasExited) qemu.Kill(entireProcessTree: true);
        qemu.WaitForExit();
        qemu.Dispose();
    }

    private async Task ReadConsoleAsync()
    {
        var buffer = new char[4096];
        int read;
        while ((read = await qemu.StandardOutput.ReadAsync(buffer)) > 0)
            lock (console) console.Append(buffer, 0, read);
    }

    private static string Tail(string text) => text.Length > 3000 ? text[^3000..] : text;
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Builder.Execution;
using Builder.Guestfs.Commands;

namespace Builder.Guestfs.Native;

/// <summary>
/// Receives libguestfs events for one handle. Trace, library and appliance messages become
/// <see cref="TraceLine"/>s when tracing; warnings become <see cref="Notice"/>s. The last appliance
/// (console and qemu) lines are always kept, to explain a failed launch. While a command runs, its
/// <see cref="ConsoleTap"/> takes its own output lines from the console: they go to the command's
/// callback, and neither to the trace nor to the kept lines.
/// </summary>
internal sealed class GuestfsEventSink(IBuildEvents events, bool trace)
{
    public const GuestfsEvents Subscribed =
        GuestfsEvents.Appliance | GuestfsEvents.Library | GuestfsEvents.Trace | GuestfsEvents.Warning;

    private const int KeptApplianceLines = 12;

    private readonly Lock _lock = new();
    private readonly Decoder _applianceDecoder = Encoding.UTF8.GetDecoder();
    private readonly StringBuilder _partialLine = new();
    private readonly Queue<string> _lastApplianceLines = new();
    private ConsoleTap? _tap;

    public bool Trace { get; } = trace;

    /// <summary>The most recent appliance output lines, oldest first.</summary>
    public IReadOnlyList<string> LastApplianceLines
    {
        get
        {
            lock (_lock)
            {
                var partial = _partialLine.ToString().Trim();
                return partial.Length == 0 ? [.. _lastApplianceLines] : [.. _lastApplianceLines, partial];
            }
        }
    }

    /// <summary>Routes a command's console output to its callback until <see cref="Detach"/>.</summary>
    public void Attach(ConsoleTap tap)
    {
        lock (_lock) _tap = tap;
    }

    public void Detach(ConsoleTap tap)
    {
        lock (_lock)
        {
            if (_tap == tap) _tap = null;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static unsafe void OnEvent(
        IntPtr g, IntPtr opaque, ulong eventBits, int eventHandle, int flags,
        byte* buffer, nuint length, ulong* array, nuint arrayLength)
    {
        try
        {
            if (GCHandle.FromIntPtr(opaque).Target is not GuestfsEventSink sink) return;
            var bytes = buffer == null ? ReadOnlySpan<byte>.Empty : new ReadOnlySpan<byte>(buffer, checked((int)length));
            sink.Receive((GuestfsEvents)eventBits, bytes);
        }
        catch (Exception)
        {
            // An exception must not cross into native code; a lost trace line is harmless.
        }
    }

    internal void Receive(GuestfsEvents kind, ReadOnlySpan<byte> bytes)
    {
        switch (kind)
        {
            case GuestfsEvents.Appliance:
                ReceiveAppliance(bytes);
                break;
            case GuestfsEvents.Warning:
                events.Emit(new Notice($"libguestfs: {Encoding.UTF8.GetString(bytes).TrimEnd()}"));
                break;
            case GuestfsEvents.Trace when Trace:
                EmitLines("trace", Encoding.UTF8.GetString(bytes));
                break;
            case GuestfsEvents.Library when Trace:
                EmitLines("library", Encoding.UTF8.GetString(bytes));
                break;
        }
    }

    private void ReceiveAppliance(ReadOnlySpan<byte> bytes)
    {
        var complete = new List<string>();
        var claimed = new List<string>();
        ConsoleTap? tap;
        lock (_lock)
        {
            tap = _tap;
            var buffer = new char[_applianceDecoder.GetCharCount(bytes, flush: false)];
            var count = _applianceDecoder.GetChars(bytes, buffer, flush: false);
            foreach (var c in buffer.AsSpan(0, count))
            {
                if (c == '\n')
                {
                    var line = _partialLine.ToString().TrimEnd('\r');
                    _partialLine.Clear();
                    if (tap is not null && tap.Claim(line, claimed)) continue;
                    if (line.Length == 0) continue;
                    complete.Add(line);
                    _lastApplianceLines.Enqueue(line);
                    if (_lastApplianceLines.Count > KeptApplianceLines) _lastApplianceLines.Dequeue();
                }
                else
                {
                    _partialLine.Append(c);
                }
            }
        }
        // Events arrive one at a time on the thread making the libguestfs call, so lines stay in order.
        if (claimed.Count > 0) tap!.Deliver(claimed);
        if (!Trace) return;
        foreach (var line in complete) events.Emit(new TraceLine("appliance", line));
    }

    private void EmitLines(string source, string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.Length > 0) events.Emit(new TraceLine(source, trimmed));
        }
    }
}

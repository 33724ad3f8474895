using System.Runtime.ExceptionServices;
using System.Text;

namespace Builder.Host.Commands;

/// <summary>
/// Splits a command's output into lines (on \n; a trailing \r is dropped), hands each to the
/// callback as it comes and keeps the last <see cref="Guests.GuestCommandResult.TailLines"/>. The
/// first line must be the wrapper's start marker, which is not output. A callback that throws gets
/// no more lines, and its exception is rethrown when the command has ended.
/// </summary>
internal sealed class OutputLines(string startedMarker, Action<string> output)
{
    private readonly Queue<string> _tail = new();
    private readonly List<byte> _pending = [];
    private ExceptionDispatchInfo? _failure;

    public bool Started { get; private set; }

    public IReadOnlyList<string> Tail => [.. _tail];

    public void Add(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b == (byte)'\n') Emit();
            else _pending.Add(b);
        }
    }

    /// <summary>The output ended: a last line without a newline counts too.</summary>
    public void Complete()
    {
        if (_pending.Count > 0) Emit();
    }

    public void ThrowIfCallbackFailed() => _failure?.Throw();

    private void Emit()
    {
        var count = _pending.Count > 0 && _pending[^1] == (byte)'\r' ? _pending.Count - 1 : _pending.Count;
        var line = Encoding.UTF8.GetString(_pending.ToArray(), 0, count);
        _pending.Clear();
        if (!Started)
        {
            if (line == startedMarker)
            {
                Started = true;
                return;
            }
        }
        _tail.Enqueue(line);
        if (_tail.Count > Guests.GuestCommandResult.TailLines) _tail.Dequeue();
        if (_failure is not null) return;
        try
        {
            output(line);
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
        }
    }
}

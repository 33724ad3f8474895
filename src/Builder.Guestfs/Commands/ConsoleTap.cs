namespace Builder.Guestfs.Commands;

/// <summary>
/// Picks one command's output out of the appliance console: the lines between a begin and an end
/// marker line (unique per command) go to the command's output callback, in order, as they arrive;
/// every other console line is left to the event sink. The end marker may follow the script's last
/// line on the same line when that line had no newline.
/// </summary>
internal sealed class ConsoleTap(string beginMarker, string endMarker, Action<string> output)
{
    private enum State { Waiting, Open, Ended }

    private volatile State _state = State.Waiting;

    /// <summary>The begin marker was seen: the script started and its output reaches the console.</summary>
    public bool Opened => _state != State.Waiting;

    /// <summary>The end marker was seen: every line of the output has been delivered.</summary>
    public bool Ended => _state == State.Ended;

    /// <summary>The first exception the output callback threw; later lines were not delivered.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Whether the line belongs to the command (a marker or its output); output lines are added to <paramref name="claimed"/>.</summary>
    public bool Claim(string line, List<string> claimed)
    {
        switch (_state)
        {
            case State.Waiting when line.EndsWith(beginMarker, StringComparison.Ordinal):
                _state = State.Open;
                return true;
            case State.Open when line.EndsWith(endMarker, StringComparison.Ordinal):
                var last = line[..^endMarker.Length];
                if (last.Length > 0) claimed.Add(last);
                _state = State.Ended;
                return true;
            case State.Open:
                claimed.Add(line);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Hands claimed lines to the callback, outside the sink's lock; a callback that throws gets no more lines.</summary>
    public void Deliver(IReadOnlyList<string> lines)
    {
        foreach (var line in lines)
        {
            if (Failure is not null) return;
            try
            {
                output(line);
            }
            catch (Exception e)
            {
                Failure = e;
            }
        }
    }
}

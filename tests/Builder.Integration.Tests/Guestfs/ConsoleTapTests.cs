using System.Text;
using Builder.Execution;
using Builder.Guestfs.Commands;
using Builder.Guestfs.Native;

namespace Builder.IntegrationTests.Guestfs;

/// <summary>The event sink's console tap, fed console bytes as libguestfs delivers them (no appliance).</summary>
public sealed class ConsoleTapTests
{
    private const string Console =
        "[   12.5] kernel says\r\nguestfsd: <= sh\r\nbuilder-output-begin-n1\r\nfirst\r\n\r\nzw\u00f6lf\r\nlast, no newlinebuilder-output-end-n1\r\ncommandrvf: umount\r\n";

    [Fact]
    public void Lines_between_the_markers_go_to_the_command_and_all_others_to_the_trace()
    {
        var events = new RecordingEvents();
        var sink = new GuestfsEventSink(events, trace: true);
        var lines = new List<string>();
        var tap = new ConsoleTap("builder-output-begin-n1", "builder-output-end-n1", lines.Add);
        sink.Attach(tap);

        var bytes = Encoding.UTF8.GetBytes(Console);
        for (var offset = 0; offset < bytes.Length; offset += 7) // chunks that split lines, markers and the ö
            sink.Receive(GuestfsEvents.Appliance, bytes.AsSpan(offset, Math.Min(7, bytes.Length - offset)));
        sink.Detach(tap);

        Assert.Equal(["first", "", "zw\u00f6lf", "last, no newline"], lines);
        Assert.True(tap.Ended);
        Assert.Equal(["[   12.5] kernel says", "guestfsd: <= sh", "commandrvf: umount"], events.OfType<TraceLine>().Select(t => t.Text));
        Assert.DoesNotContain("first", sink.LastApplianceLines);
    }

    [Fact]
    public void Without_tracing_neither_the_output_nor_the_chatter_becomes_an_event()
    {
        var events = new RecordingEvents();
        var sink = new GuestfsEventSink(events, trace: false);
        var lines = new List<string>();
        sink.Attach(new ConsoleTap("builder-output-begin-n1", "builder-output-end-n1", lines.Add));

        sink.Receive(GuestfsEvents.Appliance, Encoding.UTF8.GetBytes(Console));

        Assert.Equal(4, lines.Count);
        Assert.Empty(events.All);
    }

    [Fact]
    public void A_callback_that_throws_gets_no_more_lines_and_its_exception_is_kept()
    {
        var sink = new GuestfsEventSink(IBuildEvents.None, trace: false);
        var calls = 0;
        var tap = new ConsoleTap("b", "e", _ => throw new InvalidOperationException($"call {++calls}"));
        sink.Attach(tap);

        sink.Receive(GuestfsEvents.Appliance, "b\none\ntwo\ne\n"u8);

        Assert.Equal(1, calls);
        Assert.Equal("call 1", Assert.IsType<InvalidOperationException>(tap.Failure).Message);
    }
}

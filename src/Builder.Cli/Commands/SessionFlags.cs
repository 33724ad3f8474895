using System.CommandLine;
using Builder.Execution;
using Builder.Guests;

namespace Builder.Cli.Commands;

/// <summary>--json, -v, --accel and --launch-timeout: how a command that runs guests reports and launches them.</summary>
internal sealed class SessionFlags
{
    public Option<bool> Json { get; } = new("--json") { Description = "Report progress as JSON lines on stdout" };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Show the libguestfs trace and full error details" };

    public Option<string> Accel { get; } = new("--accel")
    {
        Description = "Accelerator for the appliance: auto probes KVM once and falls back to TCG (env BUILDER_ACCEL)",
        DefaultValueFactory = _ => "auto",
    };

    public Option<int?> LaunchTimeout { get; } = new("--launch-timeout")
    {
        Description = $"Seconds an appliance launch may take before it is killed (default {BuildOptions.DefaultLaunchTimeout.TotalSeconds:0})",
    };

    public Option<string?> Backend { get; } = new("--backend")
    {
        Description = "Where steps run: host (chroot on this machine, as root; fast), appliance (libguestfs VM; isolated), " +
                      "or auto (host where it can). Default: the recipe's backend:, else BUILDER_BACKEND, else auto",
    };

    public SessionFlags()
    {
        Accel.AcceptOnlyFromAmong("auto", "kvm", "tcg");
        Backend.AcceptOnlyFromAmong("auto", "host", "appliance");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Json);
        command.Options.Add(Verbose);
        command.Options.Add(Accel);
        command.Options.Add(LaunchTimeout);
        command.Options.Add(Backend);
    }

    /// <summary>The options, or null after printing why --launch-timeout is wrong.</summary>
    public BuildOptions? Read(ParseResult parse, TextWriter error)
    {
        if (parse.GetValue(LaunchTimeout) is <= 0)
        {
            error.WriteLine("error: --launch-timeout must be a positive number of seconds");
            return null;
        }
        return new BuildOptions(
            Accelerator: Enum.Parse<Accelerator>(parse.GetValue(Accel)!, ignoreCase: true),
            LaunchTimeout: parse.GetValue(LaunchTimeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            Trace: parse.GetValue(Verbose),
            Backend: BackendSelector.Parse(parse.GetValue(Backend)));
    }
}

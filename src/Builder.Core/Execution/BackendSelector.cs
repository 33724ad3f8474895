using Builder.Guests;

namespace Builder.Execution;

/// <summary>Which backend runs a build: auto, or one by name.</summary>
public enum BackendChoice { Auto, Host, Appliance }

/// <summary>The backend a build uses, and why: plans and build logs say it.</summary>
public sealed record BackendDecision(IGuestBackend Backend, string Reason)
{
    public string Name => Backend.Name;
}

/// <summary>A backend was asked for by name and cannot run here; the reason says what is missing.</summary>
public sealed class BackendUnavailableException(string message) : Exception(message);

/// <summary>
/// Chooses the backend: the one asked for (--backend, else the recipe's backend:, else
/// BUILDER_BACKEND), or with auto the host backend when it can run this guest here (root, loop,
/// FUSE, same architecture), else the libguestfs appliance.
/// </summary>
public sealed class BackendSelector(IEnumerable<IGuestBackend> backends)
{
    public const string EnvironmentVariable = "BUILDER_BACKEND";

    private readonly IReadOnlyList<IGuestBackend> all = backends.ToList();

    /// <param name="command">From the command line or the library caller; wins over everything.</param>
    /// <param name="recipe">From the recipe's backend: key.</param>
    public BackendDecision Choose(BackendChoice? command, BackendChoice? recipe, GuestLayout? layout)
    {
        var (choice, source) = command is { } c ? (c, "--backend")
            : recipe is { } r ? (r, "the recipe")
            : FromEnvironment() is { } e ? (e, EnvironmentVariable)
            : (BackendChoice.Auto, "auto");
        if (choice != BackendChoice.Auto)
        {
            var backend = Find(choice);
            var availability = backend.Availability(layout);
            if (!availability.Available)
                throw new BackendUnavailableException($"the {backend.Name} backend ({source}) cannot run here: {availability.Reason}");
            return new BackendDecision(backend, $"{source} chose it; {availability.Reason}");
        }

        var host = all.FirstOrDefault(b => b.Name == "host");
        if (host?.Availability(layout) is { Available: true } hostAvailability)
            return new BackendDecision(host, $"auto: {hostAvailability.Reason}");
        var appliance = Find(BackendChoice.Appliance);
        var why = host is null ? "no host backend" : $"the host backend cannot run here ({host.Availability(layout).Reason})";
        return new BackendDecision(appliance, $"auto: {why}; {appliance.Availability(layout).Reason}");
    }

    public static BackendChoice? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "auto" => BackendChoice.Auto,
        "host" => BackendChoice.Host,
        "appliance" => BackendChoice.Appliance,
        _ => null,
    };

    private static BackendChoice? FromEnvironment() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    private IGuestBackend Find(BackendChoice choice)
    {
        var name = choice.ToString().ToLowerInvariant();
        return all.FirstOrDefault(b => b.Name == name) ?? throw new BackendUnavailableException($"no {name} backend is registered");
    }
}

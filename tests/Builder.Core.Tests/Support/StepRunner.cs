using Builder.Execution;
using Builder.Recipes;
using Builder.Secrets;
using Builder.Steps;
using Builder.Steps.Options;

namespace Builder.Tests.Support;

/// <summary>Runs the steps of a recipe against a recording guest, as the executor would.</summary>
public sealed class StepRunner(RecordingGuest guest)
{
    public List<BuildEvent> Events { get; } = [];

    public Dictionary<string, string> Environment { get; } = [];

    public StepSession Session { get; } = new();

    public async Task RunAsync(Recipe recipe)
    {
        var context = new StepContext(guest, new EventList(Events), new FakeSecrets(Environment), new FakeHasher(), Session);
        var number = 0;
        foreach (var step in recipe.Steps.OrderBy(s => s.Kind.Order))
            await step.Kind.ExecuteAsync(step.Options, context with { Number = ++number }, CancellationToken.None);
        // The package-cache half of the image's finish; its identity half is tested on real images.
        if (ImageFinish.CleansPackageCaches(recipe.Steps)) await ImageFinish.CleanPackageCachesAsync(guest, CancellationToken.None);
    }

    private sealed class EventList(List<BuildEvent> events) : IBuildEvents
    {
        public void Emit(BuildEvent buildEvent) => events.Add(buildEvent);
    }

    private sealed class FakeSecrets(Dictionary<string, string> environment) : ISecretReader
    {
        public string? Read(SecretVariable variable) => environment.GetValueOrDefault(variable.Name);

        public string Read(SecretFile file) => File.ReadAllText(file.FullPath).TrimEnd('\n');
    }

    /// <summary>A recognisable stand-in: the real hasher is libcrypt, tested in the integration suite.</summary>
    private sealed class FakeHasher : IPasswordHasher
    {
        public string Hash(string password, PasswordHashMethod method, ReadOnlySpan<byte> salt) =>
            $"${(method == PasswordHashMethod.Yescrypt ? "y" : "6")}$fake${password.Length}";
    }
}

using Builder.Execution;
using Builder.Guests;
using Builder.Secrets;
using Builder.Steps.Options;

namespace Builder.Steps;

/// <summary>What a running step may use: the guest, the event stream, secrets, the password hasher and the session.</summary>
/// <param name="Number">The step's position in execution order, for its output events.</param>
/// <param name="StepId">The step's content-addressed id (hex): what the step derives from the recipe's identity, such as a password's salt.</param>
public sealed record StepContext(
    IGuest Guest,
    IBuildEvents Events,
    ISecretReader Secrets,
    IPasswordHasher PasswordHasher,
    StepSession Session,
    int Number = 0,
    string StepId = "")
{
    /// <summary>Runs a script in the guest, streaming its output (secrets masked) as <see cref="StepOutput"/> events.</summary>
    public async Task<GuestCommandResult> RunAsync(GuestCommand command, CancellationToken cancellationToken)
    {
        var result = await Guest.RunAsync(command, line => Events.Emit(new StepOutput(Number, Session.Redact(line))), cancellationToken);
        return result with { Tail = result.Tail.Select(Session.Redact).ToList() };
    }

    /// <summary>A secret's value, remembered so that it is masked in output.</summary>
    public string Reveal(SecretVariable variable)
    {
        var value = Secrets.Read(variable)
                    ?? throw new StepFailedException($"the environment variable {variable.Name} is not set", $"export {variable.Name} before building");
        Session.AddSecret(value);
        return value;
    }

    public string Reveal(SecretFile file)
    {
        var value = Secrets.Read(file);
        Session.AddSecret(value);
        return value;
    }
}

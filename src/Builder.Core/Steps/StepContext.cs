using Builder.Execution;
using Builder.Guests;
using Builder.Secrets;

namespace Builder.Steps;

/// <summary>What a running step may use: the guest, the event stream, secrets and the password hasher.</summary>
public sealed record StepContext(
    IGuest Guest,
    IBuildEvents Events,
    ISecretReader Secrets,
    IPasswordHasher PasswordHasher);

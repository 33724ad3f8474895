using Builder.Steps.Options;

namespace Builder.Secrets;

/// <summary>
/// Reads secret values when a step runs, and only then. Values go straight to where they are
/// used (a password hash); they are never logged, planned or hashed into ids.
/// </summary>
public interface ISecretReader
{
    /// <summary>The value, or null when the variable is not set.</summary>
    string? Read(SecretVariable variable);

    /// <summary>The file's content without its trailing newline.</summary>
    string Read(SecretFile file);
}

/// <summary>Secrets from the process environment and from host files.</summary>
public sealed class EnvironmentSecretReader : ISecretReader
{
    public string? Read(SecretVariable variable) => Environment.GetEnvironmentVariable(variable.Name);

    public string Read(SecretFile file) => File.ReadAllText(file.FullPath).TrimEnd('\n', '\r');
}

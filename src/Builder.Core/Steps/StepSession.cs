using System.Collections.Concurrent;

namespace Builder.Steps;

/// <summary>
/// What the steps of one guest session share: the secret values read so far, which are masked
/// wherever a step's output goes.
/// </summary>
public sealed class StepSession
{
    private readonly ConcurrentDictionary<string, byte> secrets = new(StringComparer.Ordinal);

    /// <summary>Remember a secret's value so that it is masked in output.</summary>
    public void AddSecret(string value)
    {
        if (value.Length >= 4) secrets.TryAdd(value, 0);
    }

    /// <summary>The text with every known secret value replaced by ***.</summary>
    public string Redact(string text)
    {
        foreach (var secret in secrets.Keys)
            if (text.Contains(secret, StringComparison.Ordinal)) text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text;
    }
}

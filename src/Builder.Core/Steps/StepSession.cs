using System.Collections.Concurrent;

namespace Builder.Steps;

/// <summary>
/// What the steps of one build share: work to do once after the last step (cleaning package
/// caches), and the secret values read so far, which are masked wherever a step's output goes.
/// </summary>
public sealed class StepSession
{
    private readonly List<(string Key, Func<StepContext, CancellationToken, Task> Action)> finalizers = [];
    private readonly HashSet<string> disabled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> secrets = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="action"/> once after all steps, however many steps ask for it under the same key.</summary>
    public void AtEnd(string key, Func<StepContext, CancellationToken, Task> action)
    {
        lock (finalizers)
        {
            if (finalizers.All(f => f.Key != key)) finalizers.Add((key, action));
        }
    }

    /// <summary>A step asks that the work under this key is not done (keep-cache: true).</summary>
    public void Skip(string key)
    {
        lock (finalizers) disabled.Add(key);
    }

    public IReadOnlyList<Func<StepContext, CancellationToken, Task>> Finalizers()
    {
        lock (finalizers) return finalizers.Where(f => !disabled.Contains(f.Key)).Select(f => f.Action).ToList();
    }

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

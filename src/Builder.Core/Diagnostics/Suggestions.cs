namespace Builder.Diagnostics;

/// <summary>"Did you mean …?" from the closest known name by edit distance.</summary>
public static class Suggestions
{
    public static string? Closest(string given, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Distance(given.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Close enough to be a typo: at most a third of the name differs.
        return best is not null && bestDistance <= Math.Max(1, given.Length / 3) ? best : null;
    }

    public static string Hint(string given, IEnumerable<string> known, string noun)
    {
        var list = known.ToList();
        var closest = Closest(given, list);
        return closest is not null
            ? $"did you mean '{closest}'?"
            : $"known {noun}: {string.Join(", ", list)}";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

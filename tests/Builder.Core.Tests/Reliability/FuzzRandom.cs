namespace Builder.Tests.Reliability;

/// <summary>
/// The random choices the fuzz generators make: System.Random with a fixed seed, and the few
/// helpers they need (a number in a range, an element, one of several ways, a weighted choice, a
/// list). Each case has its own seed, made from the run's seed and the case's index, so a case
/// replays alone.
/// </summary>
public sealed class FuzzRandom(int seed)
{
    private readonly Random random = new(seed);

    /// <summary>The generator for case <paramref name="index"/> of the run with <paramref name="seed"/>.</summary>
    public static FuzzRandom ForCase(int seed, int index) => new(Mix(seed, index));

    /// <summary>A number from <paramref name="min"/> to <paramref name="max"/>, both included.</summary>
    public int Int(int min, int max) => random.Next(min, max + 1);

    public bool Bool() => random.Next(2) == 1;

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>One of the ways, each as likely.</summary>
    public T OneOf<T>(params Func<T>[] ways) => Pick(ways)();

    /// <summary>One of the ways, each as likely as its weight.</summary>
    public T Weighted<T>(params (int Weight, Func<T> Make)[] ways)
    {
        var draw = random.Next(ways.Sum(w => w.Weight));
        foreach (var (weight, make) in ways)
        {
            if (draw < weight) return make();
            draw -= weight;
        }
        throw new InvalidOperationException("no way to choose");
    }

    public List<T> ListOf<T>(int count, Func<T> make) => Enumerable.Range(0, count).Select(_ => make()).ToList();

    /// <summary>
    /// SplitMix64's finalizer, so neighbouring cases get unrelated seeds: System.Random's draws from
    /// close seeds step evenly (seeds 1000, 1001, 1002 start 0.0011, 0.2145, 0.4280).
    /// </summary>
    private static int Mix(int seed, int index)
    {
        unchecked
        {
            var x = ((ulong)(uint)seed << 32) | (uint)index;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return (int)(x ^ (x >> 31));
        }
    }
}

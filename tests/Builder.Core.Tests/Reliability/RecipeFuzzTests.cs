using System.Globalization;
using Builder.Diagnostics;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Builder.Tests.Reliability;

/// <summary>
/// Hostile recipes: thousands of generated and mutated recipes through the loader, validator and
/// planner, each ending in a valid plan or located diagnostics, in bounded time and memory, and
/// never an exception. The seed is fixed, so a failure reproduces; its message names the seed, the
/// case index and the recipe.
/// </summary>
public sealed class RecipeFuzzTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Change it (or set BUILDER_FUZZ_SEED) to explore other cases.</summary>
    private const int Seed = 20251109;

    public const int Cases = 10_000;

    private static readonly TimeSpan TimePerCase = TimeSpan.FromSeconds(2);
    private const long AllocationPerCase = 512L << 20;
    private const long LiveHeapGrowth = 256L << 20;
    private const int HeapCheckEvery = 500;

    private readonly FuzzRecipeFolder folder = new();
    private readonly long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
    private int run;
    private int plans;
    private int rejected;
    private TimeSpan slowest;
    private long mostAllocated;
    private long largestHeapGrowth;

    /// <summary>Runs every case, or only BUILDER_FUZZ_CASE to replay one; stops at the first failure.</summary>
    [Fact]
    public void Every_recipe_ends_in_a_plan_or_located_diagnostics_in_bounded_time_and_memory()
    {
        var seed = FromEnvironment("BUILDER_FUZZ_SEED") ?? Seed;
        var only = FromEnvironment("BUILDER_FUZZ_CASE");
        for (var index = only ?? 0; index <= (only ?? Cases - 1); index++)
        {
            FuzzCase? recipe = null;
            try
            {
                recipe = FuzzCases.Make(seed, index, Cases);
                Check(recipe);
            }
            catch (Exception e)
            {
                throw new XunitException(
                    $"Recipe case {index} of seed {seed} failed: {e.Message}\n" +
                    $"Case: {recipe?.ToString() ?? "(failed while generating it)"}\n" +
                    $"Replay it alone: BUILDER_FUZZ_SEED={seed} BUILDER_FUZZ_CASE={index} dotnet test tests/Builder.Core.Tests --filter FullyQualifiedName~RecipeFuzzTests",
                    e);
            }
        }
    }

    public void Dispose()
    {
        output.WriteLine($"{run} recipes: {plans} planned, {rejected} rejected with located diagnostics; slowest {slowest.TotalSeconds:0.00} s, " +
                         $"most allocated by one {mostAllocated >> 20} MiB, live heap grew at most {largestHeapGrowth >> 20} MiB");
        folder.Dispose();
    }

    private void Check(FuzzCase recipe)
    {
        var outcome = new RecipePipeline(folder.Path).Run(recipe);
        run++;
        slowest = outcome.Elapsed > slowest ? outcome.Elapsed : slowest;
        mostAllocated = Math.Max(mostAllocated, outcome.AllocatedBytes);

        Assert.True(outcome.Elapsed < TimePerCase, $"took {outcome.Elapsed.TotalSeconds:0.00} s");
        Assert.True(outcome.AllocatedBytes < AllocationPerCase, $"allocated {outcome.AllocatedBytes >> 20} MiB");
        if (outcome.Loaded.Succeeded)
        {
            Assert.NotNull(outcome.Plan);
            plans++;
        }
        else
        {
            Assert.Contains(outcome.Loaded.Diagnostics, d => d.IsError);
            rejected++;
        }
        Assert.All(outcome.Loaded.Diagnostics, d => AssertLocated(d, outcome.DiagnosticFile));
        if (run % HeapCheckEvery == 0) AssertHeapBounded();
    }

    private static void AssertLocated(Diagnostic diagnostic, string file)
    {
        Assert.Equal(file, diagnostic.Span.File);
        Assert.True(diagnostic.Span.Line >= 1 && diagnostic.Span.Column >= 1, $"{diagnostic} has no line and column");
        Assert.StartsWith(".", diagnostic.Path);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message), $"{diagnostic} has no message");
    }

    /// <summary>The heap grows over the whole run, so a failure here replays with the seed alone, not the one case.</summary>
    private void AssertHeapBounded()
    {
        var growth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        largestHeapGrowth = Math.Max(largestHeapGrowth, growth);
        Assert.True(growth < LiveHeapGrowth, $"the live heap grew by {growth >> 20} MiB over {run} recipes (replay the whole run, not one case)");
    }

    private static int? FromEnvironment(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;
}

using Polly;
using Polly.Registry;
using Polly.Retry;

namespace Builder.Resilience;

/// <summary>
/// The named Polly pipelines. Retries wrap only operations that are safe to repeat:
/// launching an appliance and downloading. Never a whole step.
/// </summary>
public static class ResiliencePipelines
{
    public const string ApplianceLaunch = "appliance-launch";
    public const string Download = "download";

    /// <summary>Adds the named pipelines to a registry; does nothing for a key already configured by the caller.</summary>
    public static void Configure(ResiliencePipelineRegistry<string> registry)
    {
        registry.TryAddBuilder(ApplianceLaunch, (builder, _) => builder.AddRetry(new RetryStrategyOptions
        {
            // A launch that failed for a transient reason (qemu died early, a busy host) usually works
            // the second time; one that timed out would time out again, and a missing library stays
            // missing, so only other errors are retried.
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e =>
                e is not (OperationCanceledException or TimeoutException)
                && e.InnerException is not (DllNotFoundException or EntryPointNotFoundException)),
            MaxRetryAttempts = 1,
            BackoffType = DelayBackoffType.Constant,
            Delay = TimeSpan.FromSeconds(2),
        }));

        registry.TryAddBuilder(Download, (builder, _) => builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<IOException>().Handle<HttpRequestException>(),
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromSeconds(1),
        }));
    }
}

namespace Overlap.Judges;

/// <summary>How a <see cref="ModelJudge"/> asks, retries, caches, prices and limits its calls.</summary>
public sealed record ModelJudgeOptions
{
    /// <summary>The model's name: sent with each request, part of the cache key, and looked up in <see cref="Prices"/>.</summary>
    public required string Model { get; init; }

    /// <summary>The judge's id, part of the cache key (two judges on one model keep apart answers).</summary>
    public string JudgeId { get; init; } = "model";

    /// <summary>How many times a malformed answer is asked again before the grade is recorded as no verdict (default 1).</summary>
    public int MalformedRetries { get; init; } = 1;

    /// <summary>How many times a transient failure (network, timeout, 408, 429, 5xx) is retried (default 3).</summary>
    public int TransientRetries { get; init; } = 3;

    /// <summary>The first wait before retrying a transient failure; it doubles on each retry (default 1 s).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait a <c>Retry-After</c> header is obeyed for; a longer one ends the retries (default 60 s).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many calls run at once when grading many outputs (default 4).</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Where answers are cached; null for no cache.</summary>
    public JudgeCache? Cache { get; init; }

    /// <summary>The price table the cost of each call is read from (default <see cref="ModelPrices.Known"/>).</summary>
    public ModelPrices Prices { get; init; } = ModelPrices.Known;

    /// <summary>The most the judge may spend in one UTC day (<c>budget_per_day</c>); null for no limit.</summary>
    public double? BudgetPerDay { get; init; }

    /// <summary>Ask for the answer with a JSON schema (structured output) as well as in the prompt (default true).</summary>
    public bool UseJsonSchema { get; init; } = true;

    /// <summary>The clock for latency, back-off and the budget's day.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

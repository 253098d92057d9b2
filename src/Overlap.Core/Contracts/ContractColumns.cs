namespace Overlap.Core.Contracts;

/// <summary>Which data columns hold what.</summary>
public sealed record ContractColumns
{
    /// <summary>The example's id, if any.</summary>
    public string? Id { get; init; }

    /// <summary>When the example happened, if known.</summary>
    public string? Time { get; init; }

    /// <summary>The true outcome; empty for a generative contract, which has none.</summary>
    public string Label { get; init; } = string.Empty;

    /// <summary>The model's score: the probability of the positive label (binary).</summary>
    public string? Score { get; init; }

    /// <summary>The model's decision or predicted value; for binary, default is score ≥ threshold.</summary>
    public string? Prediction { get; init; }

    /// <summary>Latency in milliseconds, for latency requirements.</summary>
    public string? LatencyMs { get; init; }

    /// <summary>Generative: what the feature was given (the question, the ticket).</summary>
    public string? Input { get; init; }

    /// <summary>Generative: the text the feature produced, judged by the checks and the rubric.</summary>
    public string? Output { get; init; }

    /// <summary>Generative: a reference text (a person's reply) that <c>similar_to</c> checks may compare with.</summary>
    public string? Reference { get; init; }

    /// <summary>Generative: edge-case tags per row, a JSON array or <c>;</c>-separated text; metrics are reported per tag.</summary>
    public string? Tags { get; init; }

    /// <summary>Generative: tokens used to produce the output (<c>tokens_per_output</c>).</summary>
    public string? Tokens { get; init; }

    /// <summary>Generative: what producing the output cost, in the contract's currency (<c>cost_per_1000</c>).</summary>
    public string? Cost { get; init; }

    /// <summary>Columns whose values split the traffic.</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];

    /// <summary>Inputs watched for drift; null means every column not named elsewhere.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Every column named here, in a stable order.</summary>
    public IEnumerable<string> Named()
    {
        foreach (
            var c in new[]
            {
                Id,
                Time,
                Label,
                Score,
                Prediction,
                LatencyMs,
                Input,
                Output,
                Reference,
                Tags,
                Tokens,
                Cost,
            }
        )
        {
            if (!string.IsNullOrEmpty(c))
            {
                yield return c;
            }
        }
        foreach (var s in Segments)
        {
            yield return s;
        }
    }
}

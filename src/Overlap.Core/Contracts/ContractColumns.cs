namespace Overlap.Core.Contracts;

/// <summary>Which data columns hold what.</summary>
public sealed record ContractColumns
{
    /// <summary>The example's id, if any.</summary>
    public string? Id { get; init; }

    /// <summary>When the example happened, if known.</summary>
    public string? Time { get; init; }

    /// <summary>The true outcome.</summary>
    public required string Label { get; init; }

    /// <summary>The model's score: the probability of the positive label (binary).</summary>
    public string? Score { get; init; }

    /// <summary>The model's decision or predicted value; for binary, default is score ≥ threshold.</summary>
    public string? Prediction { get; init; }

    /// <summary>Latency in milliseconds, for latency requirements.</summary>
    public string? LatencyMs { get; init; }

    /// <summary>Columns whose values split the traffic.</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];

    /// <summary>Inputs watched for drift; null means every column not named elsewhere.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Every column named here, in a stable order.</summary>
    public IEnumerable<string> Named()
    {
        foreach (var c in new[] { Id, Time, Label, Score, Prediction, LatencyMs })
        {
            if (c is not null)
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

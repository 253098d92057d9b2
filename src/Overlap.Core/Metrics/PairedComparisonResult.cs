namespace Overlap.Core.Metrics;

/// <summary>Two models scored on the same labelled examples, compared pairwise (B − A).</summary>
internal sealed record PairedComparisonResult
{
    /// <summary>Examples compared.</summary>
    public required long N { get; init; }

    /// <summary>Model A's accuracy.</summary>
    public required double AccuracyA { get; init; }

    /// <summary>Model B's accuracy.</summary>
    public required double AccuracyB { get; init; }

    /// <summary>Accuracy of B minus accuracy of A, which is (c − b) / N.</summary>
    public double AccuracyDifference => AccuracyB - AccuracyA;

    /// <summary>Discordant pairs b: examples A decides right and B wrong.</summary>
    public required long OnlyARight { get; init; }

    /// <summary>Discordant pairs c: examples B decides right and A wrong.</summary>
    public required long OnlyBRight { get; init; }

    /// <summary>McNemar's p-value on (b, c) for the accuracy difference; NaN until computed.</summary>
    public required double McNemarPValue { get; init; }

    /// <summary>
    /// roc_auc, pr_auc, brier, log_loss, f1, recall, precision and false_positive_rate of both models with
    /// the paired-bootstrap interval of the difference, keyed by metric name.
    /// </summary>
    public required IReadOnlyDictionary<string, PairedDifference> Differences { get; init; }
}

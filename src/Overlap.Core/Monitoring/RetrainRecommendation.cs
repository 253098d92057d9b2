namespace Overlap.Core.Monitoring;

/// <summary>Monitoring's advice to retrain, with the windows that led to it.</summary>
public sealed record RetrainRecommendation
{
    /// <summary>Whether retraining is recommended now.</summary>
    public required bool Recommended { get; init; }

    /// <summary>Why, or why not, in plain words.</summary>
    public required string Statement { get; init; }

    /// <summary>The windows behind the advice, latest last: each with what failed or drifted in it.</summary>
    public required IReadOnlyList<RetrainEvidence> Evidence { get; init; }
}

/// <summary>One window behind a retrain recommendation.</summary>
/// <param name="Start">The window's start.</param>
/// <param name="Reason">failed or drifted.</param>
/// <param name="Details">The failed requirements' statements, or the drifted columns.</param>
public sealed record RetrainEvidence(DateTimeOffset Start, string Reason, IReadOnlyList<string> Details);

namespace Overlap.Storage;

/// <summary>
/// A feature's predictions over a time range, column by column, each with its latest outcome (null until labelled)
/// and the named attributes (read from the prediction's attributes, else its inputs).
/// </summary>
public sealed record ProductionRows
{
    /// <summary>Prediction ids.</summary>
    public required string[] Ids { get; init; }

    /// <summary>Times, microseconds since the Unix epoch (UTC), ascending.</summary>
    public required long[] TimesUs { get; init; }

    /// <summary>Scores; NaN where none was sent.</summary>
    public required double[] Scores { get; init; }

    /// <summary>The decisions or classes as text; null where none was sent.</summary>
    public required string?[] Predictions { get; init; }

    /// <summary>The latest outcome's label; null while unlabelled.</summary>
    public required string?[] Labels { get; init; }

    /// <summary>Latencies in milliseconds; NaN where none was sent.</summary>
    public required double[] LatencyMs { get; init; }

    /// <summary>Costs; NaN where none was sent.</summary>
    public required double[] Costs { get; init; }

    /// <summary>Model versions; null where none was sent.</summary>
    public required string?[] ModelVersions { get; init; }

    /// <summary>What the contract's workflow did with each call (route, attempts, failed checks; no reason); null where no guard ran it.</summary>
    public required Overlap.Events.WorkflowTrace?[] Workflows { get; init; }

    /// <summary>Each asked-for attribute's values as text (null where absent), by name.</summary>
    public required IReadOnlyDictionary<string, string?[]> Attributes { get; init; }

    /// <summary>How many predictions.</summary>
    public int Count => Ids.Length;
}

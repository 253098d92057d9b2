namespace Overlap.Core.Monitoring;

/// <summary>
/// One output of a generative feature as production stored it, with the feedback people gave on it: what a window's
/// generative figures are computed from.
/// </summary>
public sealed record GenerativeOutput
{
    /// <summary>The prediction's id (grades and feedback name it).</summary>
    public required string Id { get; init; }

    /// <summary>The text the feature produced; null when the call sent none.</summary>
    public string? Output { get; init; }

    /// <summary>The conversation the call belongs to; null when none was sent.</summary>
    public string? ConversationId { get; init; }

    /// <summary>The model version the call reported; null when none.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>The model that answered (for example <c>gpt-4o-mini</c>); null when none.</summary>
    public string? Model { get; init; }

    /// <summary>Tokens used (input and output together); null when the call sent no count.</summary>
    public double? Tokens { get; init; }

    /// <summary>What the call cost; null when not sent.</summary>
    public double? Cost { get; init; }

    /// <summary>How long the call took, in milliseconds; null when not sent.</summary>
    public double? LatencyMs { get; init; }

    /// <summary>Named text fields sent with the prediction (inputs and attributes): the reference, segments, tags.</summary>
    public IReadOnlyDictionary<string, string?> Fields { get; init; } = new Dictionary<string, string?>();

    /// <summary>The feedback kinds given on this output (regenerated, edited, thumbs_up, thumbs_down, copied).</summary>
    public IReadOnlySet<string> Feedback { get; init; } = new HashSet<string>();

    /// <summary>The edit distance of the output's edit (the last one sent); null when it was not edited with one.</summary>
    public long? EditDistance { get; init; }
}

namespace Overlap.Client;

/// <summary>
/// The keys <see cref="OverlapChatClient"/> reads from <c>ChatOptions.AdditionalProperties</c> (per call, over
/// <see cref="OverlapChatOptions"/>) and writes to the response's <c>AdditionalProperties</c>.
/// </summary>
public static class OverlapChatKeys
{
    /// <summary>Written on every response and streamed update: the id of the prediction logged for the call
    /// (text).</summary>
    public const string PredictionId = "overlap.prediction_id";

    /// <summary>Read per call: the prompt's name (text), over <see cref="OverlapChatOptions.PromptName"/>.</summary>
    public const string PromptName = "overlap.prompt_name";

    /// <summary>Read per call: the prompt's version (text or number), over <see
    /// cref="OverlapChatOptions.PromptVersion"/>.</summary>
    public const string PromptVersion = "overlap.prompt_version";

    /// <summary>
    /// Read per call: a segment, as <c>overlap.segment.&lt;name&gt;</c> with its value (text or number), added to
    /// (and over) <see cref="OverlapChatOptions.Segments"/>.
    /// </summary>
    public const string SegmentPrefix = "overlap.segment.";
}

namespace Overlap.Events;

/// <summary>
/// The feedback kinds Overlap counts for a generative feature (their wire names). A product may send kinds of its own
/// beside them; those are stored and counted as they are.
/// </summary>
public static class FeedbackKinds
{
    /// <summary>The user asked for another output instead of this one.</summary>
    public const string Regenerated = "regenerated";

    /// <summary>The user changed the output before using it; the event carries the edit distance.</summary>
    public const string Edited = "edited";

    /// <summary>The user marked the output as good.</summary>
    public const string ThumbsUp = "thumbs_up";

    /// <summary>The user marked the output as bad.</summary>
    public const string ThumbsDown = "thumbs_down";

    /// <summary>The user copied the output.</summary>
    public const string Copied = "copied";
}

namespace Overlap.Events;

/// <summary>What production sends (DESIGN.md, Concepts).</summary>
public enum EventKind
{
    /// <summary>The model scored an input.</summary>
    Prediction,

    /// <summary>The true label of a prediction, often days later.</summary>
    Outcome,

    /// <summary>A user's reaction to a prediction: thumbs, regenerate, edit.</summary>
    Feedback,

    /// <summary>A downstream business result, optionally tied to a prediction.</summary>
    Business,
}

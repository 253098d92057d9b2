namespace Overlap.Events.Experiments;

/// <summary>
/// How a shadow prediction is named: in a shadow experiment every example is served by the control, and the
/// application also scores the treatment on it and records that as a prediction whose id is the served prediction's id
/// followed by <see cref="Suffix"/> (so ids stay unique per feature). The label is sent once, for the served id; the
/// shadow prediction takes it from there.
/// </summary>
public static class ShadowPrediction
{
    /// <summary>What follows the served prediction's id in its shadow's id.</summary>
    public const string Suffix = "@shadow";

    /// <summary>The id of the shadow prediction on the example <paramref name="servedId"/> was served for.</summary>
    public static string Id(string servedId)
    {
        ArgumentException.ThrowIfNullOrEmpty(servedId);
        return servedId + Suffix;
    }

    /// <summary>The served prediction's id, when <paramref name="id"/> names a shadow prediction; otherwise null.</summary>
    public static string? ServedId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Length > Suffix.Length && id.EndsWith(Suffix, StringComparison.Ordinal) ? id[..^Suffix.Length] : null;
    }
}

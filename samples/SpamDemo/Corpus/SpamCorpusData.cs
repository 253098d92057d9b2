namespace Overlap.Demo.Corpus;

/// <summary>The corpus read and checked: every message ordered by sending date, and what the checks found.</summary>
/// <param name="Messages">Every message, ordered by date (then id); those without a usable date come last.</param>
/// <param name="ChecksumsVerified">How many messages matched their published MD5.</param>
/// <param name="ChecksumMismatches">Ids of messages that did not (only <see cref="SpamCorpus.KnownChecksumMismatches"/> are let through).</param>
public sealed record SpamCorpusData(
    IReadOnlyList<SpamMessage> Messages,
    int ChecksumsVerified,
    IReadOnlyList<string> ChecksumMismatches
)
{
    /// <summary>The messages with a usable date, in date order.</summary>
    public IReadOnlyList<SpamMessage> Dated { get; } = [.. Messages.Where(m => m.Date is not null)];

    /// <summary>How many messages had no usable date.</summary>
    public int Undated => Messages.Count - Dated.Count;
}

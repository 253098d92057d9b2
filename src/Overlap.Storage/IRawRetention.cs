namespace Overlap.Storage;

/// <summary>
/// Clears what a contract's <c>privacy.retention</c> limits: the inputs, output text and workflow reason (free text that
/// may quote them) of a feature's predictions older
/// than a moment, while their id, time, score, prediction, attributes (the segments) and what follows from them stay, and
/// the stored window reports stay current, so the figures outlive the data.
/// </summary>
public interface IRawRetention
{
    /// <summary>Clears the inputs and outputs of <paramref name="feature"/>'s predictions made before <paramref name="before"/>; how many predictions it cleared.</summary>
    Task<long> ClearRawAsync(string feature, DateTimeOffset before, CancellationToken cancellationToken = default);
}

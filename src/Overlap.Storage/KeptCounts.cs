using System.Collections.Concurrent;

namespace Overlap.Storage;

/// <summary>
/// A store's <see cref="IEventReader.CountAsync"/> made once per change: each feature's counts but its business
/// results, kept with the feature's change number (<see cref="IEventReader.CurrentChangeAsync"/>, which every append of a
/// prediction, a label or feedback on a stored prediction, and every erasure, moves), so a count asked again with
/// nothing loaded in between reads the business results only (they change no hour, so they are counted every time).
/// One count of a feature runs at a time (counts of other features run beside it); a call that waited for another
/// reads what that one kept. The gates are never disposed (they hold no handle), so a count that ends while its store
/// closes still lets go of its gate.
/// </summary>
internal sealed class KeptCounts
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Change, EventCounts Counts)> _kept = new(
        StringComparer.Ordinal
    );

    /// <summary>
    /// The counts of <paramref name="feature"/>: those but the business results from <paramref name="named"/> when the
    /// change number <paramref name="change"/> reads differs from the one kept (or is 0: nothing marked
    /// yet), the business results from <paramref name="business"/>.
    /// </summary>
    public async Task<EventCounts> CountAsync(
        string feature,
        Func<CancellationToken, Task<long>> change,
        Func<CancellationToken, Task<EventCounts>> named,
        Func<CancellationToken, Task<long>> business,
        CancellationToken cancellationToken
    )
    {
        var gate = _gates.GetOrAdd(feature, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The change number is read first: whatever is loaded while the rows are counted moves it again.
            var now = await change(cancellationToken).ConfigureAwait(false);
            if (!_kept.TryGetValue(feature, out var kept) || kept.Change != now || now == 0)
            {
                kept = (now, await named(cancellationToken).ConfigureAwait(false));
                _kept[feature] = kept;
            }
            return kept.Counts with { Business = await business(cancellationToken).ConfigureAwait(false) };
        }
        finally
        {
            gate.Release();
        }
    }
}

using System.Runtime.CompilerServices;

namespace Overlap.Storage.ClickHouse;

internal sealed partial class ClickHouseStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The minutes are counted without FINAL (a re-sent prediction not merged yet counts twice), which only makes a
    /// chunk smaller; each chunk is read as <see cref="ReadPredictionsAsync"/> reads, with FINAL. <paramref name="screened"/>
    /// attributes are read as any other.
    /// </remarks>
    public async IAsyncEnumerable<ProductionRows> ReadPredictionChunksAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<string> attributes,
        int chunkRows,
        IReadOnlySet<string>? screened = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        var minutes = await _http
            .QueryAsync(
                $"SELECT intDiv(time_us, {PredictionChunks.MinuteUs}) AS m, toInt64(count()) "
                    + $"FROM {Table("predictions")} WHERE {Range(feature, from, to)} GROUP BY m ORDER BY m",
                r => (r.Int64(), r.Int64()),
                cancellationToken
            )
            .ConfigureAwait(false);
        foreach (var (start, end) in PredictionChunks.Slices(minutes, from, to, chunkRows))
        {
            yield return await ReadPredictionsAsync(feature, start, end, attributes, null, cancellationToken)
                .ConfigureAwait(false);
        }
    }
}

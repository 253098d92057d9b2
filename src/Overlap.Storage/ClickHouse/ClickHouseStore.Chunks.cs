using System.Runtime.CompilerServices;

namespace Overlap.Storage.ClickHouse;

internal sealed partial class ClickHouseStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The minutes are counted without FINAL (a re-sent prediction not merged yet counts twice), which only makes a
    /// chunk smaller; each chunk is read as <see cref="ReadPredictionsAsync"/> reads, with FINAL.
    /// </remarks>
    public async IAsyncEnumerable<ProductionRows> ReadPredictionChunksAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<string> attributes,
        int chunkRows,
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

    /// <inheritdoc />
    /// <remarks>The chunks of <see cref="ReadPredictionChunksAsync"/>, in time order; screened attributes are read in full.</remarks>
    public IAsyncEnumerable<ProductionRows> ReadPredictionBatchesAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<string> attributes,
        int batchRows,
        IReadOnlySet<string>? screened = null,
        CancellationToken cancellationToken = default
    ) => ReadPredictionChunksAsync(feature, from, to, attributes, batchRows, cancellationToken);
}

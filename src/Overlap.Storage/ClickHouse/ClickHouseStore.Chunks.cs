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
        foreach (
            var (start, end) in await SlicesAsync(feature, from, to, chunkRows, cancellationToken).ConfigureAwait(false)
        )
        {
            yield return await ReadPredictionsAsync(feature, start, end, attributes, null, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The range cut on whole minutes into slices of at most <paramref name="sliceRows"/> predictions (counted without
    /// FINAL: a re-sent prediction not merged yet counts twice, which only makes a slice smaller).
    /// </summary>
    private async Task<IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)>> SlicesAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        int sliceRows,
        CancellationToken cancellationToken
    )
    {
        var minutes = await _http
            .QueryAsync(
                $"SELECT intDiv(time_us, {PredictionChunks.MinuteUs}) AS m, toInt64(count()) "
                    + $"FROM {Table("predictions")} {Range(feature, from, to)} GROUP BY m ORDER BY m",
                r => (r.Int64(), r.Int64()),
                cancellationToken
            )
            .ConfigureAwait(false);
        return PredictionChunks.Slices(minutes, from, to, sliceRows);
    }

    /// <summary>
    /// The most predictions one query of <see cref="ReadPredictionBatchesAsync"/> reads: at 10,000,000 a day, one query
    /// for the day (its label join and the set of its ids) passed ClickHouse's 2 GB a query.
    /// </summary>
    internal int WindowSliceRows { get; set; } = 2_000_000;

    /// <inheritdoc />
    /// <remarks>
    /// A streamed query per slice of at most <see cref="WindowSliceRows"/> predictions (one for a window of a million),
    /// cut into batches as its rows arrive: the slice's predictions read with <c>FINAL</c> and joined in ClickHouse to
    /// the latest label of each (one scan of the outcomes for the slice, where a read in chunks of 100,000 scanned them
    /// once a chunk and merged the month's rows for each: a cold window of 1,000,000 on the cluster took 240 s). Nothing
    /// is sorted; the instance holds one batch. Screened attributes are read in full.
    /// </remarks>
    public async IAsyncEnumerable<ProductionRows> ReadPredictionBatchesAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<string> attributes,
        int batchRows,
        IReadOnlySet<string>? screened = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchRows, 1);
        var pool = new TextPool();
        var rows = new PredictionColumns(attributes, pool, labelled: true);
        var slices = await SlicesAsync(feature, from, to, WindowSliceRows, cancellationToken).ConfigureAwait(false);
        foreach (var (start, end) in slices)
        {
            var range = Range(feature, start, end);
            var labels = await JoinedLabelsAsync(
                    feature,
                    start,
                    end,
                    $"SELECT id FROM {Table("predictions")} {range}",
                    cancellationToken
                )
                .ConfigureAwait(false);
            // A prediction with no outcome gets the join's default, which for a Nullable label is NULL.
            var sql =
                $"SELECT {PredictionColumns.Names(attributes)}, label FROM "
                + $"(SELECT * FROM {Table("predictions")} FINAL {range}) ANY LEFT JOIN ({labels}) USING id";
            await foreach (var row in _http.RowsAsync(sql, cancellationToken).ConfigureAwait(false))
            {
                rows.Add(row);
                if (rows.Count == batchRows)
                {
                    yield return rows.Build();
                    rows = new PredictionColumns(attributes, pool, labelled: true);
                }
            }
        }
        if (rows.Count > 0)
        {
            yield return rows.Build();
        }
    }
}

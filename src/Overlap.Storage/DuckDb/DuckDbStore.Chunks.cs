using System.Runtime.CompilerServices;
using Overlap.Core.Timestamps;

namespace Overlap.Storage.DuckDb;

internal sealed partial class DuckDbStore
{
    /// <inheritdoc />
    public async IAsyncEnumerable<ProductionRows> ReadPredictionChunksAsync(
        string feature,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<string> attributes,
        int chunkRows,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var minutes = await RangeQueryAsync(
                $"SELECT time_us // {PredictionChunks.MinuteUs} AS m, count(*) FROM predictions WHERE {InRange} GROUP BY m ORDER BY m",
                r => (r.GetInt64(0), r.GetInt64(1)),
                feature,
                (from, to),
                cancellationToken
            )
            .ConfigureAwait(false);
        var slices = PredictionChunks.Slices(minutes, from, to, chunkRows);
        if (slices.Count == 0)
        {
            yield break;
        }
        // One query for the whole range, cut into the slices as its rows arrive in time order: the outcomes are
        // aggregated once for the range, not once a slice (a cold window of a million read in about half the time).
        var (sql, parameters) = PredictionQuery(feature, from, to, attributes, null, null, ordered: true);
        var slice = 0;
        var rows = new PredictionColumns(attributes);
        await foreach (var row in RowsAsync(sql, parameters, cancellationToken).ConfigureAwait(false))
        {
            var time = row.GetInt64(1);
            while (slice < slices.Count - 1 && time >= UnixMicroseconds.From(slices[slice].To))
            {
                yield return rows.Build();
                rows = new PredictionColumns(attributes);
                slice++;
            }
            rows.Add(row);
        }
        // Every slice is yielded, as a read of each would be (one emptied since the minutes were counted is empty).
        for (; slice < slices.Count; slice++)
        {
            yield return rows.Build();
            rows = new PredictionColumns(attributes);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// One streamed query with no sort: DuckDB hands rows over as its scan and joins produce them (fetched as they are
    /// read, never materialised), so neither a sort of the range nor its whole result is held (sorted, a cold window of
    /// a million needed over 256 MB of DuckDB's memory). Copies of an id are found by a grouping of the range's ids, and
    /// only the one the ordered read keeps is read.
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
        ArgumentOutOfRangeException.ThrowIfLessThan(batchRows, 1);
        // Two rows of one id were received at least the smallest dedup horizon apart: a range received within less
        // holds none, and its million ids need not be grouped to find them.
        const string Copies =
            $"SELECT (coalesce(max(received_us) - min(received_us), 0) >= (SELECT min(smallest_us) FROM dedup_horizon)) IS NOT false FROM predictions WHERE {InRange}";
        var received = await RangeQueryAsync(Copies, r => r.GetBoolean(0), feature, (from, to), cancellationToken)
            .ConfigureAwait(false);
        var copies = received[0];
        var (sql, parameters) = PredictionQuery(feature, from, to, attributes, null, screened, ordered: false, copies);
        var rows = new PredictionColumns(attributes, batchRows);
        var count = 0;
        await foreach (var row in RowsAsync(sql, parameters, cancellationToken, stream: true).ConfigureAwait(false))
        {
            if (count == batchRows)
            {
                yield return rows.Build();
                (rows, count) = (new PredictionColumns(attributes, batchRows), 0);
            }
            rows.Add(row);
            count++;
        }
        if (count > 0)
        {
            yield return rows.Build();
        }
    }
}

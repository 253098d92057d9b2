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
        IReadOnlySet<string>? screened = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var minutes = await QueryAsync(
                $"SELECT time_us // {PredictionChunks.MinuteUs} AS m, count(*) FROM predictions "
                    + "WHERE feature = $feature AND time_us >= $from AND time_us < $to GROUP BY m ORDER BY m",
                r => (r.GetInt64(0), r.GetInt64(1)),
                cancellationToken,
                ("feature", feature),
                ("from", UnixMicroseconds.From(from)),
                ("to", UnixMicroseconds.From(to))
            )
            .ConfigureAwait(false);
        var slices = PredictionChunks.Slices(minutes, from, to, chunkRows);
        if (slices.Count == 0)
        {
            yield break;
        }
        // One query for the whole range, cut into the slices as its rows arrive in time order: the outcomes are
        // aggregated once for the range, not once a slice (a cold window of a million read in about half the time).
        var (sql, parameters) = PredictionQuery(feature, from, to, attributes, null, screened);
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
}

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
        foreach (var (start, end) in PredictionChunks.Slices(minutes, from, to, chunkRows))
        {
            yield return await ReadPredictionsAsync(feature, start, end, attributes, null, cancellationToken)
                .ConfigureAwait(false);
        }
    }
}

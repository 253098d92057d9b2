using Overlap.Core.Timestamps;

namespace Overlap.Storage.ClickHouse;

internal sealed partial class ClickHouseStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The time a row was taken is its <c>received_us</c>, read with <c>FINAL</c>: a prediction stored twice (two
    /// instances loading it) is one row, on the one shard its key hashes to, so every instance reads the same order.
    /// </remarks>
    public async Task<IReadOnlyList<StoredPrediction>> PredictionsAfterAsync(
        string feature,
        ReceivedPosition after,
        int limit,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }
        var received = ClickHouseSql.Literal(UnixMicroseconds.From(after.Received));
        var id = ClickHouseSql.Literal(after.Id ?? "");
        return await _http
            .QueryAsync(
                "SELECT id, time_us, received_us, score, prediction, inputs, attributes, output, "
                    + $"{WorkflowColumns.Names} "
                    + $"FROM {Table("predictions")} FINAL WHERE feature = {ClickHouseSql.Literal(feature)} "
                    + $"AND (received_us > {received} OR (received_us = {received} AND id > {id})) "
                    + $"ORDER BY received_us, id LIMIT {ClickHouseSql.Literal(limit)}",
                r => new StoredPrediction(
                    r.String(),
                    UnixMicroseconds.ToTime(r.Int64()),
                    UnixMicroseconds.ToTime(r.Int64()),
                    r.NullableFloat64() is { } score && double.IsFinite(score) ? score : null,
                    r.NullableString(),
                    r.NullableString(),
                    r.NullableString(),
                    r.NullableString(),
                    WorkflowColumns.Read(r.NullableString(), r.NullableInt64(), r.NullableString(), r.NullableString())
                ),
                cancellationToken
            )
            .ConfigureAwait(false);
    }
}

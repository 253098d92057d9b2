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
        var later =
            $"WHERE feature = {ClickHouseSql.Literal(feature)} "
            + $"AND (received_us > {received} OR (received_us = {received} AND id > {id}))";
        // The table is ordered by (feature, id): a FINAL read of everything received later merged every such row for
        // each page, so a backlog of N rows took N / limit full merges. The page's last receipt time is found first
        // without FINAL (one column), and only the rows up to it are merged. Copies not merged yet can only make that
        // bound earlier; a page that comes back short for that reason is read again without it.
        var bound = await _http
            .QueryAsync(
                $"SELECT received_us FROM {Table("predictions")} PREWHERE received_us >= {received} {later} "
                    + $"ORDER BY received_us LIMIT {ClickHouseSql.Literal(limit - 1)}, 1",
                r => r.Int64(),
                cancellationToken
            )
            .ConfigureAwait(false);
        var page = await PageAsync(
                bound.Count == 0
                    ? $"PREWHERE received_us >= {received} {later}"
                    : $"PREWHERE received_us >= {received} AND received_us <= {ClickHouseSql.Literal(bound[0])} {later}"
            )
            .ConfigureAwait(false);
        return page.Count == limit || bound.Count == 0
            ? page
            : await PageAsync($"PREWHERE received_us >= {received} {later}").ConfigureAwait(false);

        Task<List<StoredPrediction>> PageAsync(string filter) =>
            _http.QueryAsync(
                "SELECT id, time_us, received_us, score, prediction, inputs, attributes, output, "
                    + $"{WorkflowColumns.Names} "
                    + $"FROM {Table("predictions")} FINAL {filter} "
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
            );
    }
}

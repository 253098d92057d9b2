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
        var recent = await RecentPartsAsync(after.Received, cancellationToken).ConfigureAwait(false);
        if (recent.Count == 0)
        {
            // No part was written since: nothing was received after the position.
            return [];
        }
        var parts = ClickHouseSql.List(recent.Select(p => p.Name).Distinct(StringComparer.Ordinal));
        var page = await ReadAfterAsync($"AND _part IN ({parts}) ").ConfigureAwait(false);
        // A part merged away since it was listed took its rows into a part the list does not name: read again without
        // the list.
        var now = (await RecentPartsAsync(after.Received, cancellationToken).ConfigureAwait(false)).ToHashSet();
        return recent.All(now.Contains) ? page : await ReadAfterAsync("").ConfigureAwait(false);

        async Task<List<StoredPrediction>> ReadAfterAsync(string inParts)
        {
            var later =
                $"WHERE feature = {ClickHouseSql.Literal(feature)} {inParts}"
                + $"AND (received_us > {received} OR (received_us = {received} AND id > {id}))";
            // The table is ordered by (feature, id): a FINAL read of everything received later merged every such row
            // for each page, so a backlog of N rows took N / limit full merges. The page's last receipt time is found
            // first without FINAL (one column), and only the rows up to it are merged. Copies not merged yet can only
            // make that bound earlier; a page that comes back short for that reason is read again without it.
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
        }

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

    /// <summary>
    /// How much earlier than a prediction's receipt time (the instance's clock) the part holding it may have been
    /// written (ClickHouse's clock): the clocks' largest difference. A part is written after the events in it were
    /// received, so only the parts written since a receipt time less this can hold a prediction received after it.
    /// </summary>
    internal TimeSpan ClockSkew { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The active parts of the predictions, on every server, written (or merged, fetched, mutated: each makes a new
    /// part) since <paramref name="received"/> less <see cref="ClockSkew"/>, as (path, name): the parts a read of what
    /// was received after it needs. <c>_part IN</c> a list of names skips the other parts whole, where a condition on
    /// <c>received_us</c> (not in the table's order) read that column of every prediction: with the review queue's pass
    /// every 5 s, at 300,000,000 predictions, ClickHouse read the month's receipt times back to back.
    /// </summary>
    private async Task<List<(string Path, string Name)>> RecentPartsAsync(
        DateTimeOffset received,
        CancellationToken cancellationToken
    )
    {
        var since = Math.Max(0, (received - ClockSkew).ToUnixTimeSeconds());
        var parts = Cluster is null ? "system.parts" : $"cluster({ClickHouseSql.Literal(Cluster)}, system.parts)";
        return await _http
            .QueryAsync(
                $"SELECT path, name FROM {parts} WHERE database = {ClickHouseSql.Literal(_database)} "
                    + $"AND table = {ClickHouseSql.Literal(ClickHouseSchema.Local("predictions", Cluster))} AND active "
                    + $"AND modification_time >= toDateTime({ClickHouseSql.Literal(since)})",
                r => (r.String(), r.String()),
                cancellationToken
            )
            .ConfigureAwait(false);
    }
}

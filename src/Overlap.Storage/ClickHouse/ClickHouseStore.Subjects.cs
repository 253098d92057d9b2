using Overlap.Core.Timestamps;

namespace Overlap.Storage.ClickHouse;

internal sealed partial class ClickHouseStore : ISubjectEvents, IRawRetention
{
    /// <summary>How long an erasure or a clearing waits for its mutations to finish before it reports the store unavailable.</summary>
    private static readonly TimeSpan MutationWait = TimeSpan.FromMinutes(2);

    /// <inheritdoc />
    public async Task<SubjectEvents> FindSubjectAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        var needle = ClickHouseSql.Literal($"\"{hash}\"");
        var predictions = await _http
            .QueryAsync(
                $"SELECT DISTINCT feature, id, time_us FROM {Table("predictions")} "
                    + $"WHERE position(ifNull(inputs, ''), {needle}) > 0 OR position(ifNull(attributes, ''), {needle}) > 0 "
                    + "ORDER BY feature, time_us, id",
                r => new SubjectPrediction(r.String(), r.String(), UnixMicroseconds.ToTime(r.Int64())),
                cancellationToken
            )
            .ConfigureAwait(false);
        if (predictions.Count == 0)
        {
            return new SubjectEvents([], 0, 0, 0);
        }
        var keys = Keys(predictions);
        var counts = new long[3];
        var tables = new[] { "outcomes", "feedback", "business" };
        for (var i = 0; i < tables.Length; i++)
        {
            // A repeat not yet merged away is one event: counted by its (feature, id) once.
            counts[i] = (
                await _http
                    .QueryAsync(
                        $"SELECT uniqExact(feature, id) FROM {Table(tables[i])} WHERE (feature, ifNull(prediction_id, '')) IN ({keys})",
                        r => (long)r.UInt64(),
                        cancellationToken
                    )
                    .ConfigureAwait(false)
            )[0];
        }
        return new SubjectEvents(predictions, counts[0], counts[1], counts[2]);
    }

    /// <inheritdoc />
    public async Task<SubjectEvents> EraseSubjectAsync(string hash, CancellationToken cancellationToken = default)
    {
        var found = await FindSubjectAsync(hash, cancellationToken).ConfigureAwait(false);
        if (found.Predictions.Count == 0)
        {
            return found;
        }
        var keys = Keys(found.Predictions);
        foreach (var table in new[] { "outcome_hours", "outcomes", "feedback", "business" })
        {
            await MutateAsync(
                    table,
                    $"DELETE WHERE (feature, ifNull(prediction_id, '')) IN ({keys})",
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        await MutateAsync("predictions", $"DELETE WHERE (feature, id) IN ({keys})", cancellationToken)
            .ConfigureAwait(false);
        await MarkHoursAsync(
                [.. found.Predictions.Select(p => (p.Feature, FloorHour(UnixMicroseconds.From(p.Time))))],
                cancellationToken
            )
            .ConfigureAwait(false);
        return found;
    }

    /// <inheritdoc />
    public async Task<long> ClearRawAsync(
        string feature,
        DateTimeOffset before,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        var where =
            $"feature = {ClickHouseSql.Literal(feature)} AND time_us < {ClickHouseSql.Literal(UnixMicroseconds.From(before))} "
            + "AND (inputs IS NOT NULL OR output IS NOT NULL OR workflow_reason IS NOT NULL)";
        var due = (
            await _http
                .QueryAsync(
                    $"SELECT uniqExact(feature, id) FROM {Table("predictions")} WHERE {where}",
                    r => (long)r.UInt64(),
                    cancellationToken
                )
                .ConfigureAwait(false)
        )[0];
        if (due > 0)
        {
            await MutateAsync(
                    "predictions",
                    $"UPDATE inputs = NULL, output = NULL, workflow_reason = NULL WHERE {where}",
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        return due;
    }

    private static string Keys(IEnumerable<SubjectPrediction> predictions) =>
        string.Join(
            ", ",
            predictions.Select(p => $"({ClickHouseSql.Literal(p.Feature)}, {ClickHouseSql.Literal(p.Id)})").Distinct()
        );

    /// <summary>
    /// One <c>ALTER TABLE … DELETE|UPDATE</c> mutation on the shards' tables (ClickHouse 18.16 has no synchronous
    /// mutations), then waits until every server has finished it.
    /// </summary>
    private async Task MutateAsync(string table, string mutation, CancellationToken cancellationToken)
    {
        var local = ClickHouseSchema.Local(table, Cluster);
        await _http
            .ExecuteAsync(
                $"ALTER TABLE {ClickHouseSchema.Name(_database, local)}{ClickHouseSchema.OnCluster(Cluster)} {mutation}",
                cancellationToken
            )
            .ConfigureAwait(false);
        var mutations = Cluster is null
            ? "system.mutations"
            : $"cluster({ClickHouseSql.Literal(Cluster)}, system.mutations)";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var pending = (
                await _http
                    .QueryAsync(
                        $"SELECT count() FROM {mutations} WHERE database = {ClickHouseSql.Literal(_database)} "
                            + $"AND table = {ClickHouseSql.Literal(local)} AND is_done = 0",
                        r => r.UInt64(),
                        cancellationToken
                    )
                    .ConfigureAwait(false)
            )[0];
            if (pending == 0)
            {
                return;
            }
            if (waited.Elapsed > MutationWait)
            {
                throw new StoreUnavailableException(
                    $"ClickHouse has not finished deleting from {table} after {MutationWait.TotalMinutes:0} minutes; it goes on in the background, so retry later to see it done"
                );
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }
}

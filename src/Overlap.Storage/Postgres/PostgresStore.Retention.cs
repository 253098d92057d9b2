namespace Overlap.Storage.Postgres;

internal sealed partial class PostgresStore : IRawRetention
{
    /// <summary>
    /// Clears the copy of the inputs and output a review item keeps beside its prediction (the events themselves are in
    /// ClickHouse, which clears its own); how many review items it cleared.
    /// </summary>
    public async Task<long> ClearRawAsync(
        string feature,
        DateTimeOffset before,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        return await WriteAsync(
                "UPDATE review_items SET inputs = NULL, output = NULL, workflow_reason = NULL WHERE feature = @feature "
                    + "AND prediction_time < @before "
                    + "AND (inputs IS NOT NULL OR output IS NOT NULL OR workflow_reason IS NOT NULL)",
                cancellationToken,
                ("feature", feature),
                ("before", before.UtcDateTime)
            )
            .ConfigureAwait(false);
    }
}

using Overlap.Core.Timestamps;

namespace Overlap.Storage.DuckDb;

internal sealed partial class DuckDbStore : IRawRetention
{
    /// <inheritdoc />
    public async Task<long> ClearRawAsync(
        string feature,
        DateTimeOffset before,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(feature);
        // changed_hours is left alone: the windows' figures are unchanged by design, so their stored reports stay current.
        return await WriteAsync(
                "UPDATE predictions SET inputs = NULL, output = NULL, workflow_reason = NULL WHERE feature = $feature "
                    + "AND time_us < $before AND (inputs IS NOT NULL OR output IS NOT NULL OR workflow_reason IS NOT NULL)",
                cancellationToken,
                ("feature", feature),
                ("before", UnixMicroseconds.From(before))
            )
            .ConfigureAwait(false);
    }
}

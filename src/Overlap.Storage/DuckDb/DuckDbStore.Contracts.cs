using System.Data.Common;
using Overlap.Core.Timestamps;

namespace Overlap.Storage.DuckDb;

internal sealed partial class DuckDbStore
{
    /// <inheritdoc />
    public async Task<ContractVersion> PutContractAsync(
        string feature,
        string yaml,
        string changedBy,
        DateTimeOffset changedAt,
        CancellationToken cancellationToken = default
    )
    {
        var version = await InsertReturningAsync(
                """
                INSERT INTO contracts
                SELECT $feature, coalesce(max(version), 0) + 1, $yaml, $by, $at FROM contracts WHERE feature = $feature
                RETURNING version
                """,
                cancellationToken,
                ("feature", feature),
                ("yaml", yaml),
                ("by", changedBy),
                ("at", UnixMicroseconds.From(changedAt))
            )
            .ConfigureAwait(false);
        return new ContractVersion(feature, (int)version, yaml, changedBy, changedAt);
    }

    /// <inheritdoc />
    public async Task<ContractVersion?> GetContractAsync(
        string feature,
        int? version = null,
        CancellationToken cancellationToken = default
    )
    {
        var sql = version is null
            ? "SELECT feature, version, yaml, changed_by, changed_at_us FROM contracts WHERE feature = $feature ORDER BY version DESC LIMIT 1"
            : "SELECT feature, version, yaml, changed_by, changed_at_us FROM contracts WHERE feature = $feature AND version = $version";
        var rows = await QueryAsync(
                sql,
                ReadContract,
                cancellationToken,
                ("feature", feature),
                ("version", version ?? 0)
            )
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ContractVersion>> ListContractVersionsAsync(
        string feature,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            "SELECT feature, version, yaml, changed_by, changed_at_us FROM contracts WHERE feature = $feature ORDER BY version",
            ReadContract,
            cancellationToken,
            ("feature", feature)
        );

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListFeaturesAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT DISTINCT feature FROM contracts ORDER BY feature", r => r.GetString(0), cancellationToken);

    private static ContractVersion ReadContract(DbDataReader r) =>
        new(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), UnixMicroseconds.ToTime(r.GetInt64(4)));
}

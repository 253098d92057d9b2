using System.Data.Common;

namespace Overlap.Storage.Postgres;

internal sealed partial class PostgresStore
{
    private const string ContractColumns = "SELECT feature, version, yaml, changed_by, changed_at FROM contracts ";

    /// <inheritdoc />
    public Task<ContractVersion> PutContractAsync(
        string feature,
        string yaml,
        string changedBy,
        DateTimeOffset changedAt,
        CancellationToken cancellationToken = default
    ) =>
        InTransactionAsync(
            async connection =>
            {
                // Two instances saving the same feature's contract at once take turns, so each gets the next version.
                await WriteAsync(
                        connection,
                        "SELECT pg_advisory_xact_lock(hashtext('overlap.contract:' || @feature))",
                        cancellationToken,
                        ("feature", feature)
                    )
                    .ConfigureAwait(false);
                var version = await ScalarAsync(
                        connection,
                        "INSERT INTO contracts (feature, version, yaml, changed_by, changed_at) "
                            + "SELECT @feature, coalesce(max(version), 0) + 1, @yaml, @by, @at FROM contracts "
                            + "WHERE feature = @feature RETURNING version",
                        cancellationToken,
                        ("feature", feature),
                        ("yaml", yaml),
                        ("by", changedBy),
                        ("at", changedAt)
                    )
                    .ConfigureAwait(false);
                return new ContractVersion(feature, (int)version!, yaml, changedBy, changedAt);
            },
            cancellationToken
        );

    /// <inheritdoc />
    public async Task<ContractVersion?> GetContractAsync(
        string feature,
        int? version = null,
        CancellationToken cancellationToken = default
    ) =>
        (
            await (
                version is { } v
                    ? QueryAsync(
                        ContractColumns + "WHERE feature = @feature AND version = @version",
                        ReadContract,
                        cancellationToken,
                        ("feature", feature),
                        ("version", v)
                    )
                    : QueryAsync(
                        ContractColumns + "WHERE feature = @feature ORDER BY version DESC LIMIT 1",
                        ReadContract,
                        cancellationToken,
                        ("feature", feature)
                    )
            ).ConfigureAwait(false)
        ).SingleOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<ContractVersion>> ListContractVersionsAsync(
        string feature,
        CancellationToken cancellationToken = default
    ) =>
        QueryAsync(
            ContractColumns + "WHERE feature = @feature ORDER BY version",
            ReadContract,
            cancellationToken,
            ("feature", feature)
        );

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListFeaturesAsync(CancellationToken cancellationToken = default) =>
        // Byte order, as every store sorts names, whatever the database's collation.
        QueryAsync(
            "SELECT DISTINCT feature COLLATE \"C\" AS feature FROM contracts ORDER BY 1",
            r => r.GetString(0),
            cancellationToken
        );

    private static ContractVersion ReadContract(DbDataReader r) =>
        new(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), Time(r, 4));
}

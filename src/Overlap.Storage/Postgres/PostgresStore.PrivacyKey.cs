namespace Overlap.Storage.Postgres;

internal sealed partial class PostgresStore : IPrivacyKeyStore
{
    /// <inheritdoc />
    public async Task<string> PrivacyKeyAsync(string candidate, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(candidate);
        // Two statements: a read in the insert's own statement could miss the row of an instance whose insert it waited
        // for (its snapshot is older than that commit); a second statement sees it.
        await WriteAsync(
                "INSERT INTO privacy_key (key) VALUES (@key) ON CONFLICT DO NOTHING",
                cancellationToken,
                ("key", candidate)
            )
            .ConfigureAwait(false);
        return (string)(await ScalarAsync("SELECT key FROM privacy_key", cancellationToken).ConfigureAwait(false))!;
    }
}

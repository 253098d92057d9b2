namespace Overlap.Storage.Postgres;

internal sealed partial class PostgresStore : ICookieKeyStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListCookieKeysAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT xml FROM cookie_keys ORDER BY added, name", r => r.GetString(0), cancellationToken);

    /// <inheritdoc />
    public Task AddCookieKeyAsync(string name, string xml, CancellationToken cancellationToken = default) =>
        WriteAsync(
            "INSERT INTO cookie_keys (name, xml) VALUES (@name, @xml) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("name", name),
            ("xml", xml)
        );
}

using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Overlap.Storage.ClickHouse;

/// <summary>
/// ClickHouse's HTTP interface: a query is POSTed as the body, rows go in and come out as <c>RowBinary</c>. Every
/// failure becomes words a person can act on: a server that cannot be reached is a
/// <see cref="StoreUnavailableException"/>, a refused query a <see cref="ClickHouseException"/> with ClickHouse's
/// message.
/// </summary>
internal sealed class ClickHouseHttp : IDisposable
{
    // Inserts into a Distributed table return once every shard has its rows (so a 200 means stored, and a read right
    // after sees them); reads and writes go to each shard's first healthy replica (in_order), so every instance reads
    // the replica that was written, not one still fetching the newest parts (the other replicas take over when it is
    // down); long IN lists of ids fit in a query: its size, and its elements (a loader batch of 100,000 events names
    // 100,000 ids, over the default limit of 50,000 that stopped loading under load).
    private const string Settings =
        "insert_distributed_sync=1&load_balancing=in_order&max_query_size=104857600"
        + "&max_ast_elements=10000000&max_expanded_ast_elements=10000000";

    private readonly HttpClient _http;
    private readonly string _endpoint;

    public ClickHouseHttp(Uri address, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(address);
        // Without the user info: the password stays out of every message that names the server.
        Address = address.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        _endpoint = Address + (Address.EndsWith('/') ? "" : "/") + "?" + Settings;
        _http = new HttpClient { Timeout = timeout };
        if (address.UserInfo.Length > 0)
        {
            var parts = address.UserInfo.Split(':', 2);
            _http.DefaultRequestHeaders.Add("X-ClickHouse-User", Uri.UnescapeDataString(parts[0]));
            if (parts.Length == 2)
            {
                _http.DefaultRequestHeaders.Add("X-ClickHouse-Key", Uri.UnescapeDataString(parts[1]));
            }
        }
    }

    /// <summary>The server's address without its user, password or parameters: safe to show.</summary>
    public string Address { get; }

    /// <summary>Runs a statement that returns nothing the store reads (DDL, <c>INSERT … VALUES</c>).</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(_endpoint, new StringContent(sql, Encoding.UTF8), sql, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Runs a query and reads its rows (<c>FORMAT RowBinary</c> is added) with <paramref
    /// name="read"/>.</summary>
    public async Task<List<T>> QueryAsync<T>(
        string sql,
        Func<RowBinaryReader, T> read,
        CancellationToken cancellationToken
    )
    {
        var rows = new List<T>();
        await ReadAsync(sql, r => rows.Add(read(r)), cancellationToken).ConfigureAwait(false);
        return rows;
    }

    /// <summary>
    /// Runs a query (<c>FORMAT RowBinary</c> is added) and hands each row to <paramref name="read"/> as it arrives:
    /// the answer streams through a 64 KiB buffer and is never held whole, so a read of millions of rows holds only
    /// what <paramref name="read"/> keeps.
    /// </summary>
    public async Task ReadAsync(string sql, Action<RowBinaryReader> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        await foreach (var row in RowsAsync(sql, cancellationToken).ConfigureAwait(false))
        {
            read(row);
        }
    }

    /// <summary>
    /// Runs a query (<c>FORMAT RowBinary</c> is added) and yields the reader at each row as it arrives (the row must be
    /// read before the next is asked for), so a caller can hand rows on in batches while the answer streams.
    /// </summary>
    public async IAsyncEnumerable<RowBinaryReader> RowsAsync(
        string sql,
        [EnumeratorCancellation] CancellationToken cancellationToken
    )
    {
        var query = sql + "\nFORMAT RowBinary";
        using var response = await SendAsync(_endpoint, new StringContent(query, Encoding.UTF8), sql, cancellationToken)
            .ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var reader = new RowBinaryReader(stream);
            while (await Next(reader, sql, cancellationToken).ConfigureAwait(false))
            {
                yield return reader;
            }
        }
    }

    /// <summary>Whether another row follows; an error ClickHouse sent after part of the answer is its refusal.</summary>
    private static async Task<bool> Next(RowBinaryReader reader, string sql, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.NextRowAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RowBinaryReader.StoppedException e)
        {
            throw Refused(e.Message, 200, sql, " (after part of the answer was sent)");
        }
    }

    /// <summary>Inserts rows written as <c>RowBinary</c> into <paramref name="table"/>'s <paramref
    /// name="columns"/>.</summary>
    public async Task InsertAsync(
        string table,
        string columns,
        RowBinaryWriter rows,
        CancellationToken cancellationToken
    )
    {
        var statement = $"INSERT INTO {table} ({columns}) FORMAT RowBinary";
        var url = _endpoint + "&query=" + Uri.EscapeDataString(statement);
        var content = new ReadOnlyMemoryContent(rows.Written);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await SendAsync(url, content, statement, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(
        string url,
        HttpContent content,
        string sql,
        CancellationToken cancellationToken
    )
    {
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            response = await _http
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e.Message, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable($"no answer within {_http.Timeout.TotalSeconds:0} s", e);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw Refused(body, (int)response.StatusCode, sql, "");
        }
    }

    /// <summary>
    /// ClickHouse's refusal: a <see cref="ClickHouseException"/>, or, when it ran short of memory for the query (code
    /// 241, its per-query or server limit), a busy store: the request was sound and may be retried, so the server answers
    /// 503 with Retry-After rather than 500.
    /// </summary>
    private static Exception Refused(string body, int status, string sql, string after)
    {
        var refusal = new ClickHouseException(ClickHouseException.Describe(body, status) + after, sql);
        return body.TrimStart().StartsWith("Code: 241,", StringComparison.Ordinal)
            ? new StoreUnavailableException(
                $"ClickHouse ran short of memory for a query of this request ({refusal.Message[(refusal.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..]}); "
                    + "retry in a few seconds, and if it keeps happening give the ClickHouse servers more memory or a larger max_memory_usage (docs/operations.md, sizing)",
                refusal,
                busy: true
            )
            : refusal;
    }

    private StoreUnavailableException Unreachable(string why, Exception inner) =>
        new(
            $"the ClickHouse server at {Address} cannot be reached ({why.TrimEnd('.')}); start it, or point --clickhouse at a running one",
            inner
        );

    public void Dispose() => _http.Dispose();
}

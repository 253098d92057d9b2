using System.IO.Compression;

namespace Overlap.Server.Api;

/// <summary>Reads a request body whole, up to a limit that also bounds what gzip expands to (no decompression bombs).</summary>
internal static class RequestBody
{
    /// <summary>The body's bytes, gzip undone when the request says <c>Content-Encoding: gzip</c>; null when over <paramref name="maxBytes"/>.</summary>
    /// <exception cref="InvalidDataException">The body claims gzip but is not.</exception>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }
        var gzip = request.Headers.ContentEncoding.Any(e =>
            string.Equals(e, "gzip", StringComparison.OrdinalIgnoreCase)
        );
        var source = gzip ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : request.Body;
        await using (source.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
    }
}

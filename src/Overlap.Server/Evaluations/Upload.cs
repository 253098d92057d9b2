using Overlap.Server.Api;

namespace Overlap.Server.Evaluations;

/// <summary>
/// A file sent to be stored as an evaluation run: the body itself, or the <c>file</c> part of a multipart form (with a
/// <c>name</c> field beside it), bounded by the server's body limit (gzip undone).
/// </summary>
/// <param name="Content">The file's bytes; null when refused.</param>
/// <param name="FileName">The file's name in a form (null for a plain body).</param>
/// <param name="Name">The run's name from the form's <c>name</c> field, if any.</param>
/// <param name="Status">413 or 400 when refused, else 200.</param>
/// <param name="Problem">Why it was refused and what to do.</param>
internal sealed record Upload(byte[]? Content, string? FileName, string? Name, int Status, string? Problem)
{
    public static async Task<Upload> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var tooLarge = new Upload(
            null,
            null,
            null,
            StatusCodes.Status413PayloadTooLarge,
            $"A file is at most {maxBytes / (1024 * 1024)} MiB; evaluate larger sets with overlap eval and upload its JSON report."
        );
        try
        {
            if (!request.HasFormContentType)
            {
                var body = await RequestBody.ReadAsync(request, maxBytes, cancellationToken).ConfigureAwait(false);
                return body is null ? tooLarge : new Upload(body, null, null, StatusCodes.Status200OK, null);
            }
            var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            var name = form["name"].ToString().Trim();
            if ((form.Files["file"] ?? (form.Files.Count > 0 ? form.Files[0] : null)) is not { Length: > 0 } file)
            {
                return new Upload(
                    null,
                    null,
                    null,
                    StatusCodes.Status400BadRequest,
                    "The form has no file: choose a JSON report from overlap eval, or a CSV, JSON Lines or Parquet file of scored examples."
                );
            }
            if (file.Length > maxBytes)
            {
                return tooLarge;
            }
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return new Upload(
                buffer.ToArray(),
                Path.GetFileName(file.FileName),
                name.Length == 0 ? null : name,
                StatusCodes.Status200OK,
                null
            );
        }
        catch (InvalidDataException e)
        {
            return new Upload(
                null,
                null,
                null,
                StatusCodes.Status400BadRequest,
                request.HasFormContentType
                    ? $"The form cannot be read ({e.Message.TrimEnd('.')}); send multipart/form-data with the file as the part named 'file'."
                    : "The request says 'Content-Encoding: gzip' but the body is not gzip; send it plain or compress it."
            );
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return tooLarge;
        }
    }
}

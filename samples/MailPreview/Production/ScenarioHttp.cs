using System.Text.Json;

namespace Overlap.Samples.MailPreview.Production;

/// <summary>The scenario's calls to its own server: an answer that is not a success is a bug, said in one line.</summary>
internal static class ScenarioHttp
{
    /// <summary>Throws when <paramref name="response"/> is not a success, naming what was being done.</summary>
    public static async Task EnsureAsync(
        HttpResponseMessage response,
        string doing,
        CancellationToken cancellationToken
    )
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException(
                $"the server answered {(int)response.StatusCode} while {doing}: {body[..Math.Min(body.Length, 300)]}"
            );
        }
    }

    /// <summary>GETs <paramref name="path"/> and parses the answer.</summary>
    public static async Task<JsonDocument> GetJsonAsync(
        HttpClient http,
        string path,
        CancellationToken cancellationToken
    )
    {
        using var response = await http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, $"reading {path}", cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}

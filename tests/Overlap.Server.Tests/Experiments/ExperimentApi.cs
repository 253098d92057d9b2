using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Overlap.Storage;

namespace Overlap.Server.Tests.Experiments;

/// <summary>What the experiment tests ask of a running server: a contract saved, events sent, an answer read.</summary>
internal static class ExperimentApi
{
    /// <summary>Saves <paramref name="yaml"/> as <paramref name="feature"/>'s contract with an admin key.</summary>
    public static async Task PutContractAsync(RunningServer server, string feature, string yaml)
    {
        using var admin = server.Client(KeyRole.Admin);
        var put = await admin.PutAsync(
            $"/v1/features/{feature}/contract",
            new StringContent(yaml, Encoding.UTF8, "application/yaml")
        );
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }

    /// <summary>Sends NDJSON events with an ingest key, expecting them all accepted; the answer's body.</summary>
    public static async Task<string> SendAsync(RunningServer server, string ndjson)
    {
        using var ingest = server.Client(KeyRole.Ingest);
        var content = new StringContent(ndjson, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        var response = await ingest.PostAsync("/v1/events", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return body;
    }

    /// <summary>A successful answer's JSON; a failure shows its status and body.</summary>
    public static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}

using System.Net;
using System.Text.Json.Nodes;

namespace Overlap.Cluster.Tests;

/// <summary>
/// Instances on one store hash a person's id alike without <c>OVERLAP_PRIVACY_KEY</c>: the key is kept in PostgreSQL,
/// so a subject's events sent through A and through B are found through either; an instance whose folder holds a key
/// of its own uses the stored one.
/// </summary>
public sealed class PrivacyTests
{
    private static string Prediction(int i, string subject) =>
        $$"""{"type":"prediction","id":"p-{{i}}","feature":"{{Traffic.Feature}}","time":"2026-11-20T10:{{i:00}}:00Z","""
        + $$""" "score":0.5,"attributes":{"user_id":"{{subject}}" """
        + "}}";

    private static async Task<int> FoundAsync(HttpClient client, string subject)
    {
        var response = await client.GetAsync($"/v1/subjects/{subject}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return (int)JsonNode.Parse(body)!["predictions"]!;
    }

    [Fact]
    public async Task ASubjectsEvents_SentThroughEitherInstance_AreFoundThroughEither()
    {
        await using var both = await TwoInstances.StartAsync();
        using var a = both.Client(0);
        using var b = both.Client(1);
        var put = await a.PutAsync(
            $"/v1/features/{Traffic.Feature}/contract",
            new StringContent(Traffic.Contract() + "privacy:\n  subject: user_id\n")
        );
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());

        await Traffic.SendAsync(a, [Prediction(1, "ana"), Prediction(2, "raj")]);
        await Traffic.SendAsync(b, [Prediction(3, "ana"), Prediction(4, "ana")]);
        // Each read waits for its own instance's log; both are asked once so both logs are loaded.
        Assert.Equal(3, Math.Max(await FoundAsync(a, "ana"), await FoundAsync(b, "ana")));
        Assert.Equal((3, 3), (await FoundAsync(a, "ana"), await FoundAsync(b, "ana")));
        Assert.Equal((1, 1), (await FoundAsync(a, "raj"), await FoundAsync(b, "raj")));

        // B restarted with a key of its own in its folder (as an instance that ran alone before): it hashes with the
        // stored key, so what it is sent now is found through A.
        await both.KillAsync(1);
        await File.WriteAllTextAsync(
            Path.Combine(both.Folder(1), "privacy.key"),
            Convert.ToBase64String(new byte[32]) + "\n"
        );
        await both.StartAsync(1);
        using var restarted = both.Client(1);
        await Traffic.SendAsync(restarted, [Prediction(5, "ana")]);
        Assert.Equal(4, await FoundAsync(restarted, "ana"));
        Assert.Equal(4, await FoundAsync(a, "ana"));
    }
}

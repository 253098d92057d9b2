using System.Net;
using System.Text;
using System.Text.Json;
using Overlap.Storage;

namespace Overlap.Server.Tests.Monitoring;

/// <summary>
/// Predictions that do not carry a segment the contract names (an attribute a client never sends) are labelled
/// predictions like any other: the window, its summary and the month are computed, never a 500.
/// </summary>
public sealed class MissingSegmentTests
{
    [Fact]
    public async Task Window_PredictionsWithoutTheSegmentAttribute_AreJudgedAndSummarised()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(KeyRole.Admin);
        Assert.Equal(
            HttpStatusCode.Created,
            (
                await admin.PutAsync("/v1/features/mail/contract", new StringContent(WhyItMissesTests.Contract))
            ).StatusCode
        );
        var events = new StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            var spam = i % 2 == 0;
            // A third of the predictions carry the segment; the rest do not.
            var attributes = i % 3 == 0 ? ",\"attributes\":{\"channel\":\"web\"}" : "";
            events
                .Append(
                    $$"""{"type":"prediction","id":"p{{i}}","feature":"mail","time":"2026-03-01T10:00:00Z","score":{{(spam ? "0.9" : "0.2")}}{{attributes}}}"""
                )
                .Append('\n');
            events
                .Append(
                    $$"""{"type":"outcome","id":"o{{i}}","feature":"mail","prediction_id":"p{{i}}","label":"{{(spam ? "spam" : "ham")}}","time":"2026-03-01T12:00:00Z"}"""
                )
                .Append('\n');
        }
        Assert.Equal(
            HttpStatusCode.Accepted,
            (
                await admin.PostAsync(
                    "/v1/events",
                    new StringContent(events.ToString(), Encoding.UTF8, "application/x-ndjson")
                )
            ).StatusCode
        );

        var metrics = await admin.GetAsync("/v1/features/mail/metrics?from=2026-03-01&to=2026-03-02");
        Assert.True(metrics.StatusCode == HttpStatusCode.OK, await metrics.Content.ReadAsStringAsync());
        using var window = JsonDocument.Parse(await metrics.Content.ReadAsStringAsync());
        var evaluation = window.RootElement.GetProperty("windows")[0].GetProperty("evaluation");
        Assert.Equal(100, evaluation.GetProperty("n").GetInt32());
        Assert.Equal(1.0, evaluation.GetProperty("metrics").GetProperty("recall").GetProperty("value").GetDouble());
        Assert.Equal(
            34,
            evaluation.GetProperty("segments").GetProperty("channel").GetProperty("web").GetProperty("n").GetInt32()
        );
        // The 66 without the attribute form a group of their own, stated in words, rather than vanishing from the breakdown.
        Assert.Equal(
            66,
            evaluation
                .GetProperty("segments")
                .GetProperty("channel")
                .GetProperty("(missing)")
                .GetProperty("n")
                .GetInt32()
        );
        Assert.Contains(evaluation.GetProperty("statements").EnumerateArray(), s =>
            s.GetString() == "66 examples have no value in channel; they are grouped as '(missing)'."
        );

        var summary = await admin.GetAsync("/v1/features/mail/summary?from=2026-03-01&to=2026-03-02");
        Assert.True(summary.StatusCode == HttpStatusCode.OK, await summary.Content.ReadAsStringAsync());
        using var month = JsonDocument.Parse(await summary.Content.ReadAsStringAsync());
        Assert.Equal(100, month.RootElement.GetProperty("evaluation").GetProperty("n").GetInt32());
        Assert.Equal(
            34,
            month
                .RootElement.GetProperty("evaluation")
                .GetProperty("segments")
                .GetProperty("channel")
                .GetProperty("web")
                .GetProperty("n")
                .GetInt32()
        );
        Assert.Equal(
            66,
            month
                .RootElement.GetProperty("evaluation")
                .GetProperty("segments")
                .GetProperty("channel")
                .GetProperty("(missing)")
                .GetProperty("n")
                .GetInt32()
        );
    }
}

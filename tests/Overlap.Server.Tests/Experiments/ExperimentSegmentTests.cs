using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Overlap.Core.Experiments;
using Overlap.Core.Metrics;
using Overlap.Events.Experiments;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Server.Tests.Experiments;

/// <summary>
/// An experiment's figures per segment: a treatment better overall can be worse for one group, and the analysis shows
/// each group's figures, computed as the whole experiment's are on that group's predictions alone.
/// </summary>
public sealed class ExperimentSegmentTests
{
    [Fact]
    public async Task Segments_ShowEachGroupsFigures_AGroupLeftBehindIsVisible()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
        await using var server = await RunningServer.StartAsync(configure: o => o with { Time = clock });
        using (var admin = server.Client(KeyRole.Admin))
        {
            var put = await admin.PutAsync(
                "/v1/features/spam-filter/contract",
                new StringContent(
                    """
                    feature: spam-filter
                    task: binary
                    labels: { positive: spam, negative: ham }
                    columns: { label: is_spam, score: p_spam, segments: [channel] }
                    experiments:
                      - name: spam-v2
                        control: nb@1
                        treatment: nb@2
                        primary: [{ metric: recall, min_effect: 0.03 }]
                    """,
                    Encoding.UTF8,
                    "application/yaml"
                )
            );
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 11, 9, 0, 0, TimeSpan.Zero));
        // nb@2 catches more spam on the web (95% against 70%) but less in the app (55% against 70%): better overall.
        var random = new Random(11);
        var sent = new Dictionary<(string Channel, string Version), Confusion>();
        var emails = new List<ExperimentMail.Email>();
        for (var i = 0; i < 6_000; i++)
        {
            var id = $"m{i}";
            var channel = i % 3 == 0 ? "app" : "web";
            var version = ArmAssignment.Arm("spam-v2", id, [50, 50]) == 0 ? "nb@1" : "nb@2";
            var spam = random.NextDouble() < 0.4;
            var rate =
                version == "nb@1" ? 0.70
                : channel == "web" ? 0.95
                : 0.55;
            var caught = spam ? random.NextDouble() < rate : random.NextDouble() < 0.05;
            sent[(channel, version)] = sent.GetValueOrDefault((channel, version)) + Confusion.One(spam, caught);
            var time = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero).AddMinutes(i);
            emails.Add(new ExperimentMail.Email(id, time, version, spam, caught, 100, channel));
        }
        var lines = ExperimentMail.Ndjson("spam-filter", emails, TimeSpan.FromHours(1));
        using (var ingest = server.Client(KeyRole.Ingest))
        {
            var content = new StringContent(lines, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            var posted = await ingest.PostAsync("/v1/events", content);
            Assert.Contains("\"accepted\":12000", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var viewer = server.Client(KeyRole.Viewer);
        var analysis = JsonDocument.Parse(await viewer.GetStringAsync("/v1/experiments/spam-v2")).RootElement;
        Assert.True(
            analysis.GetProperty("summary").GetProperty("decision").GetString() == "rollout",
            analysis.GetProperty("primary").ToString()
        );
        // The rollout says which group it would leave behind.
        Assert.Contains(
            " But for channel = app, recall is ",
            analysis.GetProperty("summary").GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
        Assert.EndsWith(
            "always-valid): look at that group before rolling out to everyone.",
            analysis.GetProperty("summary").GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
        var segments = analysis.GetProperty("segments").EnumerateArray().ToList();
        // The most frequent value first: web (two emails in three), then app.
        Assert.Equal(
            [("channel", "web"), ("channel", "app")],
            segments.Select(s => (s.GetProperty("attribute").GetString(), s.GetProperty("value").GetString()))
        );
        foreach (var segment in segments)
        {
            var channel = segment.GetProperty("value").GetString()!;
            var (control, treatment) = (sent[(channel, "nb@1")], sent[(channel, "nb@2")]);
            Assert.Equal(control.Total, segment.GetProperty("control_units").GetInt64());
            Assert.Equal(treatment.Total, segment.GetProperty("treatment_units").GetInt64());
            var recall = segment.GetProperty("primary")[0];
            var expected = ArmDifference.OfProportions(
                treatment.Tp,
                treatment.Positives,
                control.Tp,
                control.Positives,
                0.95,
                0.03
            );
            Assert.Equal((double)control.Tp / control.Positives, recall.GetProperty("control").GetDouble(), 12);
            Assert.Equal(expected.AlwaysValid.Low, recall.GetProperty("always_valid")[0].GetDouble(), 12);
            Assert.Equal(expected.AlwaysValid.High, recall.GetProperty("always_valid")[1].GetDouble(), 12);
            Assert.Equal(channel == "web" ? "better" : "worse", recall.GetProperty("verdict").GetString());
        }
    }
}

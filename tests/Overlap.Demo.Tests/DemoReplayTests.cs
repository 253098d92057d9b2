using System.Globalization;
using System.Text.Json;

namespace Overlap.Demo.Tests;

/// <summary>
/// The demo's replay on synthetic mail against a real server on a clock the replay moves: every prediction and every
/// due label arrives, the scripted reviewers work the queue (second opinions included), and the server judges the
/// windows on its own clock.
/// </summary>
public sealed class DemoReplayTests
{
    private const string Contract = """
        feature: mail
        task: binary
        labels: { positive: spam, negative: ham }
        columns: { id: id, time: time, label: label, score: score, segments: [sender], features: [length, sender] }
        threshold: 0.5
        requirements:
          - { metric: recall, min: 0.8 }
          - { metric: false_positive_rate, max: 0.05 }
        monitoring:
          window: 1d
          reference: { from: 2002-03-01, to: 2002-03-08 }
          min_samples: 20
          label_delay: 2d
        review:
          when: "score between 0.3 and 0.7"
          second_opinion: 0.5
        """;

    private static readonly DateTimeOffset Start = new(2002, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Twelve days of mail, 60 a day; the last four days' spam is longer (a new campaign).</summary>
    private static List<ReplayMail> Mails()
    {
        var start = Start;
        var random = new Random(7);
        return
        [
            .. Enumerable
                .Range(0, 720)
                .Select(i =>
                {
                    var time = start.AddMinutes(i * 24);
                    var spam = random.NextDouble() < 0.4;
                    var score = Math.Clamp((spam ? 0.75 : 0.2) + ((random.NextDouble() - 0.5) * 0.6), 0, 1);
                    var length = (spam && time >= start.AddDays(8) ? 900 : 300) + random.Next(100);
                    return new ReplayMail(
                        $"m{i:D4}",
                        time,
                        Math.Round(score, 4),
                        spam ? "spam" : "ham",
                        string.Create(CultureInfo.InvariantCulture, $$"""{"length":{{length}}}"""),
                        $$"""{"sender":"{{(i % 3 == 0 ? "freemail" : "company")}}"}"""
                    );
                }),
        ];
    }

    [Fact]
    public async Task Replay_ReviewersWhoKeepUp_StopBeforeTheLastDays_SoTheirItemsWaitInTheQueue()
    {
        await using var server = await ReplayServer.StartAsync("mail", Contract, Start);
        var mails = Mails();
        // Reviewers fast enough to empty the queue every day: without a pause at the end, nothing would be left to try.
        var result = await DemoReplay.RunAsync(
            mails,
            server.Options with
            {
                ReviewsPerDay = 100,
            },
            null,
            CancellationToken.None
        );
        Assert.True(result.Reviewed > 100, $"reviewed {result.Reviewed}");
        using var queue = JsonDocument.Parse(
            await server.Admin.GetStringAsync("/v1/features/mail/review?status=pending&limit=500")
        );
        var counts = queue.RootElement.GetProperty("counts");
        Assert.True(counts.GetProperty("pending").GetInt64() > 10, counts.ToString());
        // What waits is the last days' mail, routed after the reviewers' last working day (two days before the last email).
        var lastReview = new DateTimeOffset(mails[^1].Time.UtcDateTime.Date, TimeSpan.Zero).AddDays(-2);
        Assert.True(counts.GetProperty("oldest_pending").GetDateTimeOffset() >= lastReview, counts.ToString());
    }

    [Fact]
    public async Task Replay_SendsEveryMailAndDueLabel_AndReviewersWorkTheQueue_OnTheServersClock()
    {
        await using var server = await ReplayServer.StartAsync("mail", Contract, Start);
        var (clock, http, options) = (server.Clock, server.Admin, server.Options);
        var mails = Mails();
        var seen = new List<double>();
        var result = await DemoReplay.RunAsync(mails, options, new Progress<double>(seen.Add), CancellationToken.None);

        // Every mail and every label that fell due before the end; the labelled share is picked by id, the same on every run.
        var labelled = mails.Count(m => DemoReplay.Picked(m.Id, "label") < 0.8);
        Assert.Equal((720, labelled), (result.Predictions, result.Outcomes));
        Assert.InRange(labelled, 540, 610);
        using var counts = JsonDocument.Parse(await http.GetStringAsync("/v1/features/mail/counts"));
        Assert.Equal(720, counts.RootElement.GetProperty("predictions").GetInt64());
        // Outcomes: the labels, plus one per settled review (a first opinion waiting for a second one records none).
        Assert.InRange(counts.RootElement.GetProperty("outcomes").GetInt64(), labelled + 1, labelled + result.Reviewed);
        Assert.Equal(result.To, clock.GetUtcNow());

        // The reviewers decided every working day; half the items needed two of them, so agreement is measured.
        using var queue = JsonDocument.Parse(await http.GetStringAsync("/v1/features/mail/review"));
        var figures = queue.RootElement;
        // Nine working days at ten a day: the reviewers are away for the last two days of mail.
        Assert.True(result.Reviewed >= 9 * 10, $"reviewed {result.Reviewed}");
        Assert.True(
            figures.GetProperty("agreement").GetProperty("items").GetInt64() > 10,
            figures.GetProperty("agreement").ToString()
        );
        Assert.True(
            figures.GetProperty("counts").GetProperty("decided").GetInt64() > 50,
            figures.GetProperty("counts").ToString()
        );

        // The windows were judged on the server's clock; the new campaign shows as drift in the length of mail.
        using var metrics = JsonDocument.Parse(
            await http.GetStringAsync("/v1/features/mail/metrics?from=2002-03-01&to=2002-03-13&resamples=0")
        );
        var windows = metrics.RootElement.GetProperty("windows").EnumerateArray().ToList();
        Assert.Equal(12, windows.Count);
        var drifted = windows
            .Where(w =>
                w.TryGetProperty("drift", out var d)
                && d.GetProperty("columns")
                    .EnumerateArray()
                    .Any(c => c.GetProperty("column").GetString() == "length" && c.GetProperty("drift").GetBoolean())
            )
            .Select(w => w.GetProperty("start").GetDateTimeOffset().Day)
            .ToList();
        Assert.Equal([9, 10, 11, 12], drifted);
        Assert.Equal(1.0, seen.Max());
    }
}

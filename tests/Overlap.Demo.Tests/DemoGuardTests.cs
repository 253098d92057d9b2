using System.Globalization;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Monitoring;
using Overlap.Core.Reports;
using Overlap.Core.Workflow;
using Overlap.Demo.Data;
using Overlap.Events;

namespace Overlap.Demo.Tests;

/// <summary>
/// The demo's contract's workflow on the v1 model's committed scores (Fixtures/scores): every real email meets its
/// input expectations, and the replay decides each email through the guard into a real server, which leaves exactly
/// the emails scored inside the abstain band to a person, once each. Counts, the abstention rate and its Wilson
/// interval are checked against Fixtures/guard/make_guard_fixtures.py (pandas and statsmodels).
/// </summary>
public sealed class DemoGuardTests
{
    private static readonly JsonElement Expected = JsonDocument
        .Parse(File.ReadAllText(Fixtures.Path("guard", "guard_expected.json")))
        .RootElement;

    private static readonly Contract Demo = ContractParser.Parse(DemoRun.ContractYaml);

    private static (double Low, double High) Band =>
        (
            Expected.GetProperty("band").GetProperty("low").GetDouble(),
            Expected.GetProperty("band").GetProperty("high").GetDouble()
        );

    /// <summary>The committed scored mail as the replay sends it: the inputs and the segment as JSON, the v1 score, the true label.</summary>
    private static List<ReplayMail> Scored(string slice)
    {
        var lines = File.ReadAllLines(Fixtures.Path("scores", slice + ".csv"));
        var header = lines[0].Split(',');
        return
        [
            .. lines
                .Skip(1)
                .Select(line =>
                {
                    var row = header.Zip(line.Split(',')).ToDictionary(p => p.First, p => p.Second);
                    return new ReplayMail(
                        row["message_id"],
                        DateTimeOffset.Parse(row["received_at"], CultureInfo.InvariantCulture),
                        double.Parse(row["p_spam"], CultureInfo.InvariantCulture),
                        row["is_spam"],
                        $$"""{"subject_length":{{row["subject_length"]}},"body_length":{{row["body_length"]}},"links":{{row["links"]}},"attachments":{{row["attachments"]}}}""",
                        $$"""{"sender_domain_type":"{{row["sender_domain_type"]}}"}"""
                    );
                }),
        ];
    }

    [Theory]
    [InlineData("holdout")]
    [InlineData("production")]
    public void Contract_EveryRealEmail_MeetsTheWorkflowsInputExpectations_AndTheBandHoldsWhatPandasCounts(string slice)
    {
        var guard = WorkflowGuard.Create(Demo);
        var mails = Scored(slice);
        var expected = Expected.GetProperty("all").GetProperty(slice);

        // A real email the contract refuses would be a bug in the contract.
        var refused = mails
            .Select(m => (m.Id, Failures: guard.CheckInput(DemoReplay.Inputs(m))))
            .Where(r => r.Failures.Count > 0)
            .Select(r => $"{r.Id}: {string.Join("; ", r.Failures.Select(f => f.Message))}")
            .ToList();
        Assert.Empty(refused);
        Assert.Equal(0, expected.GetProperty("reject").GetInt32());
        Assert.Equal(
            expected.GetProperty("abstain").GetInt32(),
            mails.Count(m => guard.AfterScore(m.Score) == GuardNext.Abstain)
        );
    }

    [Fact]
    public async Task Replay_ThroughTheGuard_LeavesTheBandToPeopleOnce_AsPandasAndStatsmodelsCountIt()
    {
        var replay = Expected.GetProperty("replay");
        var from = replay.GetProperty("from").GetDateTimeOffset();
        var to = from.AddDays(replay.GetProperty("days").GetInt32());
        var mails = Scored("production").Where(m => m.Time < to).ToList();
        var (low, high) = Band;
        // Counted here from the scores alone, without the guard: the emails whose score lies in the band, bounds included.
        var inBand = mails.Where(m => m.Score >= low && m.Score <= high).ToList();
        var routes = replay.GetProperty("routes");
        Assert.Equal(replay.GetProperty("n").GetInt32(), mails.Count);
        Assert.Equal(routes.GetProperty("abstain").GetInt32(), inBand.Count);

        await using var server = await ReplayServer.StartAsync(SpamEvents.Feature, DemoRun.ContractYaml, from);
        var result = await DemoReplay.RunAsync(
            mails,
            server.Options with
            {
                LabelDelay = Demo.Monitoring!.LabelDelay!.Value,
                ReviewsPerDay = 15,
                Budget = TimeSpan.FromSeconds(5),
            },
            null,
            CancellationToken.None
        );

        // What the guard decided: exactly the emails in the band abstained, the rest the threshold decided.
        Assert.Equal(
            inBand.Select(m => m.Id).Order(StringComparer.Ordinal),
            result.Guarded.Where(g => g.Route == WorkflowRoutes.Abstain).Select(g => g.Id).Order(StringComparer.Ordinal)
        );
        Assert.Equal(
            routes.GetProperty("direct").GetInt32(),
            result.Guarded.Count(g => g.Route == WorkflowRoutes.Direct)
        );

        // What the server counted, window by window, from the workflow each prediction carried.
        var range = string.Create(
            CultureInfo.InvariantCulture,
            $"from={from:yyyy-MM-dd}&to={result.To.AddDays(1):yyyy-MM-dd}&resamples=0"
        );
        var metrics = ReportJson.ReadMonitoring(
            await server.Admin.GetStringAsync($"/v1/features/{SpamEvents.Feature}/metrics?{range}")
        )!;
        var windows = metrics.Windows.Where(w => w.Workflow is not null).ToList();
        Assert.True(windows.Count >= 3, $"{windows.Count} windows with guarded calls");
        foreach (var w in windows)
        {
            var sent = mails.Where(m => m.Time >= w.Start && m.Time < w.End).ToList();
            Assert.Equal(sent.Count, w.Workflow!.Guarded);
            Assert.Equal(sent.Count(m => m.Score >= low && m.Score <= high), w.Workflow.Routes[WorkflowRoutes.Abstain]);
            Assert.Equal(0, w.Workflow.Routes[WorkflowRoutes.Reject]);
        }
        var merged = WorkflowMonitor.Merge(Demo, metrics.Windows.Select(w => w.Workflow))!;
        Assert.Equal(
            (mails.Count, inBand.Count, 0L),
            ((int)merged.Guarded, (int)merged.Routes[WorkflowRoutes.Abstain], merged.Routes[WorkflowRoutes.Reject])
        );
        var rate = merged.Metrics["abstention_rate"];
        var statsmodels = replay.GetProperty("abstention_rate");
        Assert.Equal(statsmodels.GetProperty("value").GetDouble(), rate.Value, 12);
        Assert.Equal(statsmodels.GetProperty("low").GetDouble(), rate.CiLow, 12);
        Assert.Equal(statsmodels.GetProperty("high").GetDouble(), rate.CiHigh, 12);

        // The demo's report says it in the contract's words.
        Assert.Equal(replay.GetProperty("statement").GetString(), GuardFigures.Of(Demo, merged)!.Statement);

        // Each abstained email entered the review queue once, as the guard's, not again as an uncertain score; the
        // review band below the threshold still routes its own; reviewers decided abstained cases into labels.
        using var queue = JsonDocument.Parse(
            await server.Admin.GetStringAsync($"/v1/features/{SpamEvents.Feature}/review?status=decided&limit=500")
        );
        var counts = queue.RootElement.GetProperty("counts");
        var review = Demo.Review!;
        Assert.Equal(inBand.Count, counts.GetProperty("workflow").GetInt64());
        Assert.Equal(
            mails.Count(m => m.Score >= review.ScoreLow && m.Score <= review.ScoreHigh && !(m.Score >= low)),
            counts.GetProperty("uncertain").GetInt64()
        );
        var decided = queue
            .RootElement.GetProperty("items")
            .EnumerateArray()
            .Where(i => i.GetProperty("reason").GetString() == WorkflowRoutes.Abstain)
            .Select(i => i.GetProperty("prediction_id").GetString())
            .ToList();
        Assert.NotEmpty(decided);
        Assert.All(decided, id => Assert.Contains(id, inBand.Select(m => m.Id)));
    }
}

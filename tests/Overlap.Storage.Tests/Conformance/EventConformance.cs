using Overlap.Core.Timestamps;
using Overlap.Events;

namespace Overlap.Storage.Tests.Conformance;

/// <summary>Events, contracts, keys and the report cache: idempotent appends, range reads, counts, contract versions, window reports.</summary>
public abstract class EventConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    [Fact]
    public async Task Append_SameIdTwice_IsStoredOnceAndSurvivesReopening()
    {
        await using (var store = Open())
        {
            var first = await store.Sink.AppendAsync(
                [Prediction("p1", 0.9), Prediction("p2", 0.1), Outcome("o1", "p1", "1")],
                Noon
            );
            Assert.Equal(new AppendResult(3, 0), first);
            // A retry of the same batch, plus one new event and a duplicate inside the batch.
            var second = await store.Sink.AppendAsync(
                [Prediction("p1", 0.9), Prediction("p3", 0.4), Prediction("p3", 0.4), Outcome("o1", "p1", "1")],
                Noon
            );
            Assert.Equal(new AppendResult(1, 3), second);
        }
        await using (var reopened = Open())
        {
            Assert.Equal(new EventCounts(3, 1, 0, 0, 1), await reopened.Reader.CountAsync("fraud"));
            Assert.Equal(new EventCounts(0, 0, 0, 0, 0), await reopened.Reader.CountAsync("other"));
        }
    }

    [Fact]
    public async Task Append_EveryKind_IsCountedForItsFeature()
    {
        await using var store = Open();
        await store.Sink.AppendAsync(
            [
                Prediction("p1", 0.2),
                new FeedbackEvent
                {
                    Id = "f1",
                    Time = Noon,
                    PredictionId = "p1",
                    FeedbackKind = "thumbs_down",
                },
                new BusinessEvent
                {
                    Id = "b1",
                    Time = Noon,
                    Name = "chargeback",
                    Value = 120.5,
                    PredictionId = "p1",
                },
                new BusinessEvent
                {
                    Id = "b2",
                    Time = Noon,
                    Name = "refund",
                    Value = 3,
                    Feature = "fraud",
                },
                new BusinessEvent
                {
                    Id = "b3",
                    Time = Noon,
                    Name = "refund",
                    Value = 3,
                    Feature = "other",
                },
            ],
            Noon
        );
        Assert.Equal(new EventCounts(1, 0, 1, 2, 0), await store.Reader.CountAsync("fraud"));
    }

    [Fact]
    public async Task Counts_FollowEveryAppend_OutcomesAndFeedbackCountOnceTheirPredictionIsStored()
    {
        await using var store = Open();
        var feedback = new FeedbackEvent
        {
            Id = "f1",
            Time = Noon,
            Feature = "fraud",
            PredictionId = "p1",
            FeedbackKind = "thumbs_up",
        };
        // A label and feedback that came before their prediction count once it is stored; a label after it adds an
        // outcome to the same labelled prediction; a business result counts on its own. Each count is asked after each
        // append, so a count kept from before an append is seen.
        await store.Sink.AppendAsync([Outcome("o1", "p1", "0") with { Feature = "fraud" }, feedback], Noon);
        Assert.Equal(new EventCounts(0, 0, 0, 0, 0), await store.Reader.CountAsync("fraud"));
        await store.Sink.AppendAsync([Prediction("p1", 0.4), Prediction("p2", 0.6)], Noon);
        Assert.Equal(new EventCounts(2, 1, 1, 0, 1), await store.Reader.CountAsync("fraud"));
        await store.Sink.AppendAsync([Outcome("o2", "p1", "1")], Noon);
        Assert.Equal(new EventCounts(2, 2, 1, 0, 1), await store.Reader.CountAsync("fraud"));
        await store.Sink.AppendAsync([Outcome("o3", "p2", "1")], Noon);
        Assert.Equal(new EventCounts(2, 3, 1, 0, 2), await store.Reader.CountAsync("fraud"));
        await store.Sink.AppendAsync(
            [
                new BusinessEvent
                {
                    Id = "b1",
                    Time = Noon,
                    Feature = "fraud",
                    Name = "refund",
                    Value = 3,
                },
            ],
            Noon
        );
        Assert.Equal(new EventCounts(2, 3, 1, 1, 2), await store.Reader.CountAsync("fraud"));
    }

    [Fact]
    public async Task Contracts_KeepEveryVersionWithWhoAndWhen()
    {
        await using var store = Open();
        Assert.Null(await store.Contracts.GetContractAsync("fraud"));
        var v1 = await store.Contracts.PutContractAsync("fraud", "feature: fraud\n", "ana", Noon);
        var v2 = await store.Contracts.PutContractAsync(
            "fraud",
            "feature: fraud\nthreshold: 0.3\n",
            "ben",
            Noon.AddDays(1)
        );
        await store.Contracts.PutContractAsync("spam", "feature: spam\n", "ana", Noon);
        Assert.Equal((1, 2), (v1.Version, v2.Version));
        Assert.Equal(v2, await store.Contracts.GetContractAsync("fraud"));
        Assert.Equal(v1, await store.Contracts.GetContractAsync("fraud", 1));
        Assert.Null(await store.Contracts.GetContractAsync("fraud", 3));
        Assert.Equal([v1, v2], await store.Contracts.ListContractVersionsAsync("fraud"));
        Assert.Equal(["fraud", "spam"], await store.Contracts.ListFeaturesAsync());
    }

    [Fact]
    public async Task Keys_AreFoundByHashOnly()
    {
        await using var store = Open();
        var key = new ApiKeyRecord("k1", "abc123", KeyRole.Reviewer, "ana's laptop", Noon);
        await store.Users.AddKeyAsync(key);
        Assert.Equal(key, await store.Users.FindKeyAsync("abc123"));
        Assert.Null(await store.Users.FindKeyAsync("k1"));
    }

    [Fact]
    public async Task ReadPredictions_AttributesWithALoneSurrogateEscape_AreReadWithAReplacementCharacter()
    {
        await using var store = Open();
        await store.Sink.AppendAsync(
            [
                Prediction("p1", 0.5) with
                {
                    AttributesJson = "{\"channel\":\"web\\ud800\"}",
                    InputsJson = "{\"amount\":\"\\udfff1\"}",
                },
                Prediction("p2", 0.6) with
                {
                    AttributesJson = "{\"channel\": not json",
                },
                Prediction("p3", 0.7) with
                {
                    AttributesJson = "{\"channel\":\"app\"}",
                },
            ],
            Noon
        );
        var rows = await store.Reader.ReadPredictionsAsync(
            "fraud",
            Noon.AddDays(-1),
            Noon.AddDays(1),
            ["channel", "amount"]
        );
        Assert.Equal(["p1", "p2", "p3"], rows.Ids);
        Assert.Equal(new string?[] { "web\uFFFD", null, "app" }, rows.Attributes["channel"].AsEnumerable());
        Assert.Equal(new string?[] { "\uFFFD1", null, null }, rows.Attributes["amount"].AsEnumerable());
    }

    [Fact]
    public async Task Text_LooksLikeSql_IsStoredAsText()
    {
        await using var store = Open();
        const string nasty = "x'); DROP TABLE predictions; --";
        await store.Sink.AppendAsync(
            [
                Prediction(nasty, 0.5) with
                {
                    Prediction = nasty,
                    AttributesJson = "{\"c\":\"'; DELETE FROM outcomes; --\"}",
                },
            ],
            Noon
        );
        await store.Contracts.PutContractAsync("fraud", nasty, nasty, Noon);
        Assert.Equal(1, (await store.Reader.CountAsync("fraud")).Predictions);
        Assert.Equal(nasty, (await store.Contracts.GetContractAsync("fraud"))!.Yaml);
    }

    [Fact]
    public async Task ReadPredictions_TimeRange_LatestLabel_AttributesThenInputs()
    {
        await using var store = Open();
        await store.Sink.AppendAsync(
            [
                Prediction("p1", 0.9) with
                {
                    Time = Noon.AddHours(1),
                    AttributesJson = "{\"channel\":\"web\",\"odd \\\"name\":\"x\"}",
                    InputsJson = "{\"amount\":120.5}",
                },
                Prediction("p2", 0.1) with
                {
                    Time = Noon,
                    AttributesJson = null,
                    InputsJson = "{\"channel\":\"app\",\"amount\":7}",
                    LatencyMs = null,
                },
                Prediction("p3", 0.5) with
                {
                    Time = Noon.AddDays(1),
                },
                Outcome("o1", "p1", "0"),
                Outcome("o2", "p1", "1") with
                {
                    Time = Noon.AddDays(3),
                },
            ],
            Noon
        );
        var rows = await store.Reader.ReadPredictionsAsync(
            "fraud",
            Noon,
            Noon.AddDays(1),
            ["channel", "amount", "odd \"name", "missing"]
        );
        Assert.Equal(["p2", "p1"], rows.Ids);
        Assert.Equal([UnixMicroseconds.From(Noon), UnixMicroseconds.From(Noon.AddHours(1))], rows.TimesUs);
        Assert.Equal([0.1, 0.9], rows.Scores);
        Assert.Equal([null, "1"], (IEnumerable<string?>)rows.Labels);
        Assert.Equal([double.NaN, 12], rows.LatencyMs);
        Assert.Equal(["app", "web"], (IEnumerable<string?>)rows.Attributes["channel"]);
        Assert.Equal(["7", "120.5"], (IEnumerable<string?>)rows.Attributes["amount"]);
        Assert.Equal([null, "x"], (IEnumerable<string?>)rows.Attributes["odd \"name"]);
        Assert.Equal([null, null], (IEnumerable<string?>)rows.Attributes["missing"]);
    }

    private static PredictionEvent Prediction(string id, double score) =>
        new()
        {
            Id = id,
            Time = Noon,
            Feature = "fraud",
            Score = score,
            ModelVersion = "v1",
            LatencyMs = 12,
            AttributesJson = "{\"country\":\"de\"}",
        };

    private static OutcomeEvent Outcome(string id, string predictionId, string label) =>
        new()
        {
            Id = id,
            Time = Noon.AddDays(2),
            PredictionId = predictionId,
            Label = label,
        };

    [Fact]
    public async Task WindowReports_AreCurrentUntilTheirHoursChange_AndReadWithOrWithoutSummaries()
    {
        await using var store = Open();
        var day = TimeSpan.FromDays(1);
        var (first, second) = (Noon.Date, Noon.Date.AddDays(1));
        await store.Sink.AppendAsync(
            [
                new PredictionEvent
                {
                    Id = "a",
                    Feature = "spam",
                    Time = first.AddHours(1),
                    Score = 0.2,
                },
            ],
            Noon
        );
        var asOf = await store.Reader.CurrentChangeAsync("spam");
        await store.Reports.SaveWindowReportAsync("spam", first, day, 1, 1000, asOf, Noon, "{\"n\":1}", [1, 2, 3]);
        await store.Reports.SaveWindowReportAsync(
            "spam",
            second,
            day,
            1,
            1000,
            asOf,
            Noon.AddMinutes(1),
            "{\"n\":2}",
            [4]
        );

        var stamps = await store.Reports.CurrentWindowStampsAsync("spam", first, second.AddDays(1), day, 1, 1000);
        Assert.Equal(
            [
                (new DateTimeOffset(first), UnixMicroseconds.From(Noon)),
                (new DateTimeOffset(second), UnixMicroseconds.From(Noon.AddMinutes(1))),
            ],
            stamps.OrderBy(s => s.Key).Select(s => (s.Key, s.Value))
        );
        var plain = await store.Reports.WindowReportsAsync("spam", [.. stamps.Keys], day, 1, 1000, summaries: false);
        Assert.Equal(("{\"n\":1}", (byte[]?)null), (plain[first].Report, plain[first].Summary));
        var full = await store.Reports.WindowReportsAsync("spam", [second], day, 1, 1000, summaries: true);
        Assert.Equal([4], full[second].Summary!);
        Assert.Equal(UnixMicroseconds.From(Noon.AddMinutes(1)), full[second].Stamp);
        // Another contract version, resample count or window length has no stored report.
        Assert.Empty(await store.Reports.CurrentWindowStampsAsync("spam", first, second.AddDays(1), day, 2, 1000));
        Assert.Empty(await store.Reports.WindowReportsAsync("spam", [first], day, 1, 0, summaries: false));

        // A late prediction in the second day makes its report stale; the first stays current.
        await store.Sink.AppendAsync(
            [
                new PredictionEvent
                {
                    Id = "b",
                    Feature = "spam",
                    Time = second.AddHours(5),
                    Score = 0.9,
                },
            ],
            Noon.AddHours(1)
        );
        Assert.Equal(
            [new DateTimeOffset(first)],
            (await store.Reports.CurrentWindowStampsAsync("spam", first, second.AddDays(1), day, 1, 1000)).Keys
        );
    }
}

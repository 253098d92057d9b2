using Overlap.Events;

namespace Overlap.Storage.Tests.ClickHouse;

public sealed partial class ClickHouseStoreTests
{
    [Fact]
    public async Task Counts_MadeInPartsByPredictionId_AddUpToTheWholeCount()
    {
        // At 32,000,000 predictions the count in one query passed ClickHouse's 2 GB a query and answered 500; it is
        // made in parts of at most CountPartRows predictions. Here a part holds about 3 of 40.
        var store = await InstanceAsync(ClickHouseServers.Shard1);
        var events = new List<FeatureEvent>();
        for (var i = 0; i < 40; i++)
        {
            events.Add(Prediction($"p{i}", i, i % 4 / 4.0));
            if (i % 3 != 0)
            {
                events.Add(Outcome($"p{i}", i, i % 2 == 0 ? "1" : "0"));
            }
            if (i % 5 == 0)
            {
                // A second label of the same prediction: one more outcome, the same labelled prediction.
                events.Add(Outcome($"p{i}", i + 1000, "1"));
                events.Add(
                    new FeedbackEvent
                    {
                        Id = $"f{i}",
                        PredictionId = $"p{i}",
                        Feature = "fraud",
                        FeedbackKind = FeedbackKinds.ThumbsUp,
                        Time = Noon.AddMinutes(i),
                    }
                );
                events.Add(
                    new BusinessEvent
                    {
                        Id = $"b{i}",
                        PredictionId = $"p{i}",
                        Feature = "fraud",
                        Name = "chargeback",
                        Value = i,
                        Time = Noon.AddMinutes(i),
                    }
                );
            }
        }
        // An outcome of a prediction never stored is not counted, in any part.
        events.Add(Outcome("missing", 0, "1"));
        await store.AppendAsync(events, Noon);
        // 40 predictions; 26 labelled (those not a multiple of 3), and every fifth (p0, p5, …, p35) labelled once more:
        // 26 + 8 = 34 outcomes, over 26 + 3 predictions (p0, p15 and p30 have only that label); 8 feedback, 8 business.
        var whole = new EventCounts(40, 34, 8, 8, 29);

        Assert.Equal(whole, await store.CountAsync("fraud"));
        store.CountPartRows = 3;
        Assert.Equal(whole, await store.CountAsync("fraud"));
        store.CountPartRows = 1;
        Assert.Equal(whole, await store.CountAsync("fraud"));
    }
}

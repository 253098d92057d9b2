using Overlap.Events;

namespace Overlap.Storage.Tests.Conformance;

/// <summary>
/// A feature's predictions in the order the store received them (<see cref="IEventReader.PredictionsAfterAsync"/>):
/// by receipt time, then id (ordinal), each once, a page at a time, with what the review queue and the judge need.
/// </summary>
public abstract class ReceivedOrderConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    private static PredictionEvent Prediction(string id, double? score, string feature = "replies") =>
        new()
        {
            Id = id,
            Feature = feature,
            Time = Noon.AddHours(-1),
            Score = score,
            Prediction = "ok",
            InputsJson = $$"""{"question":"{{id}}?"}""",
            AttributesJson = """{"channel":"web"}""",
            Output = $"answer {id}",
        };

    [Fact]
    public async Task Predictions_are_read_by_receipt_time_then_id_each_once_and_a_page_at_a_time()
    {
        await using var store = Open();
        // Received at noon: p9, p10, p2 (ids in ordinal order: p10, p2, p9); at 12:05: p1 and p11, with p9 again
        // (stored once, at its first receipt); another feature's prediction is not read.
        await store.Sink.AppendAsync(
            [Prediction("p9", 0.9), Prediction("p10", double.NaN), Prediction("p2", null)],
            Noon
        );
        await store.Sink.AppendAsync(
            [Prediction("p1", 0.1), Prediction("p11", 0.5), Prediction("p9", 0.9), Prediction("x", 0.3, "other")],
            Noon.AddMinutes(5)
        );

        var all = await store.Reader.PredictionsAfterAsync("replies", ReceivedPosition.Start, 100);
        Assert.Equal(
            [("p10", Noon), ("p2", Noon), ("p9", Noon), ("p1", Noon.AddMinutes(5)), ("p11", Noon.AddMinutes(5))],
            all.Select(p => (p.Id, p.Received))
        );
        var p9 = all[2];
        Assert.Equal(
            (Noon.AddHours(-1), (double?)0.9, "ok", """{"question":"p9?"}""", """{"channel":"web"}""", "answer p9"),
            (p9.Time, p9.Score, p9.Prediction, p9.Inputs, p9.Attributes, p9.Output)
        );
        // No score, or one that is not a number, reads as none.
        Assert.Equal([null, null], all.Take(2).Select(p => p.Score));

        // Two at a time from the start, each page after the last one's position: the same five, once each.
        var paged = new List<string>();
        var after = ReceivedPosition.Start;
        while (await store.Reader.PredictionsAfterAsync("replies", after, 2) is { Count: > 0 } page)
        {
            Assert.True(page.Count <= 2);
            paged.AddRange(page.Select(p => p.Id));
            after = page[^1].Position;
        }
        Assert.Equal(["p10", "p2", "p9", "p1", "p11"], paged);

        // From a receipt time: everything received then or later; from a position: strictly after it.
        Assert.Equal(
            ["p1", "p11"],
            (
                await store.Reader.PredictionsAfterAsync("replies", ReceivedPosition.Before(Noon.AddMinutes(1)), 10)
            ).Select(p => p.Id)
        );
        Assert.Equal(
            ["p9", "p1", "p11"],
            (await store.Reader.PredictionsAfterAsync("replies", new ReceivedPosition(Noon, "p2"), 10)).Select(p =>
                p.Id
            )
        );
        Assert.Empty(await store.Reader.PredictionsAfterAsync("replies", all[^1].Position, 10));
        Assert.Empty(await store.Reader.PredictionsAfterAsync("missing", ReceivedPosition.Start, 10));
    }
}

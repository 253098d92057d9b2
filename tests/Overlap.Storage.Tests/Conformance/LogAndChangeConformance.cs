using Overlap.Events;

namespace Overlap.Storage.Tests.Conformance;

/// <summary>The ingest log position kept with the events it covers, the change numbers of ranges, and which features hold a prediction id.</summary>
public abstract class LogAndChangeConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    private static PredictionEvent Prediction(string id, string feature, DateTimeOffset time) =>
        new()
        {
            Id = id,
            Feature = feature,
            Time = time,
            Score = 0.5,
        };

    [Fact]
    public async Task The_log_position_moves_with_each_load_and_survives_a_reopen()
    {
        await using (var store = Open())
        {
            Assert.Null(await store.Sink.GetLogPositionAsync());
            Assert.Equal(
                new AppendResult(2, 0),
                await store.Sink.AppendFromLogAsync([Prediction("a", "f", Noon), Prediction("b", "f", Noon)], Noon, 120)
            );
            // A frame loaded again after a crash stores nothing new, and the position still moves.
            Assert.Equal(
                new AppendResult(0, 1),
                await store.Sink.AppendFromLogAsync([Prediction("a", "f", Noon)], Noon, 180)
            );
            // An empty load (a frame of refused events) records its position too.
            Assert.Equal(default, await store.Sink.AppendFromLogAsync([], Noon, 200));
            // A direct append leaves the position alone.
            await store.Sink.AppendAsync([Prediction("c", "f", Noon)], Noon);
            Assert.Equal(200, await store.Sink.GetLogPositionAsync());
        }
        await using var reopened = Open();
        Assert.Equal(200, await reopened.Sink.GetLogPositionAsync());
        Assert.Equal(3, (await reopened.Reader.CountAsync("f")).Predictions);
    }

    [Fact]
    public async Task Change_numbers_move_for_the_hours_that_got_a_prediction_a_label_or_feedback()
    {
        await using var store = Open();
        Assert.Equal(0, await store.Reader.CurrentChangeAsync("f"));
        await store.Sink.AppendAsync([Prediction("a", "f", Noon), Prediction("b", "f", Noon.AddHours(5))], Noon);
        var first = await store.Reader.CurrentChangeAsync("f");
        Assert.True(first > 0);
        Assert.Equal(first, await store.Reader.ChangeInRangeAsync("f", Noon, Noon.AddHours(1)));
        Assert.Equal(0, await store.Reader.ChangeInRangeAsync("f", Noon.AddHours(1), Noon.AddHours(5)));
        Assert.Equal(0, await store.Reader.CurrentChangeAsync("other"));

        // A label for the noon prediction changes the noon hour only.
        await store.Sink.AppendAsync(
            [
                new OutcomeEvent
                {
                    Id = "o1",
                    PredictionId = "a",
                    Feature = "f",
                    Label = "1",
                    Time = Noon.AddDays(1),
                },
            ],
            Noon.AddDays(1)
        );
        var second = await store.Reader.CurrentChangeAsync("f");
        Assert.True(second > first);
        Assert.Equal(second, await store.Reader.ChangeInRangeAsync("f", Noon, Noon.AddHours(1)));
        Assert.Equal(first, await store.Reader.ChangeInRangeAsync("f", Noon.AddHours(5), Noon.AddHours(6)));

        // Feedback on the later prediction (a user regenerated it a day on) changes that prediction's hour only: a
        // generative window counts the feedback on its outputs.
        await store.Sink.AppendAsync(
            [
                new FeedbackEvent
                {
                    Id = "fb1",
                    PredictionId = "b",
                    Feature = "f",
                    FeedbackKind = "regenerated",
                    Time = Noon.AddDays(1).AddHours(5),
                },
            ],
            Noon.AddDays(1).AddHours(5)
        );
        var third = await store.Reader.CurrentChangeAsync("f");
        Assert.True(third > second);
        Assert.Equal(third, await store.Reader.ChangeInRangeAsync("f", Noon.AddHours(5), Noon.AddHours(6)));
        Assert.Equal(second, await store.Reader.ChangeInRangeAsync("f", Noon, Noon.AddHours(1)));
        Assert.Equal(0, await store.Reader.ChangeInRangeAsync("f", Noon.AddDays(1), Noon.AddDays(2)));
    }

    [Fact]
    public async Task Features_of_predictions_lists_every_feature_that_holds_the_id()
    {
        await using var store = Open();
        await store.Sink.AppendAsync(
            [Prediction("a", "spam", Noon), Prediction("a", "fraud", Noon), Prediction("b", "spam", Noon)],
            Noon
        );
        var found = await store.Reader.FeaturesOfPredictionsAsync(["a", "b", "nope"]);
        Assert.Equal(["fraud", "spam"], found["a"]);
        Assert.Equal(["spam"], found["b"]);
        Assert.False(found.ContainsKey("nope"));
        Assert.Empty(await store.Reader.FeaturesOfPredictionsAsync([]));
        var before = await store.Reader.CurrentChangeAsync("spam");
        // An outcome sent without a feature takes its prediction's, and its label marks that prediction's hour.
        await store.Sink.AppendAsync(
            [
                new OutcomeEvent
                {
                    Id = "o1",
                    PredictionId = "b",
                    Label = "1",
                    Time = Noon,
                },
            ],
            Noon
        );
        Assert.Equal(1, (await store.Reader.CountAsync("spam")).Labelled);
        var labelled = await store.Reader.CurrentChangeAsync("spam");
        Assert.True(labelled > before);
        Assert.Equal(labelled, await store.Reader.ChangeInRangeAsync("spam", Noon, Noon.AddHours(1)));
        Assert.Equal(0, await store.Reader.ChangeInRangeAsync("fraud", Noon.AddHours(1), Noon.AddHours(2)));
        // A business result sent without a feature takes that of the prediction it names.
        await store.Sink.AppendAsync(
            [
                new BusinessEvent
                {
                    Id = "b1",
                    PredictionId = "b",
                    Name = "refund",
                    Value = 12.5,
                    Time = Noon,
                },
            ],
            Noon
        );
        Assert.Equal(1, (await store.Reader.CountAsync("spam")).Business);
        Assert.Equal(0, (await store.Reader.CountAsync("fraud")).Business);
    }
}

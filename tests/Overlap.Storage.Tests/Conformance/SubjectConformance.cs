using Overlap.Events;

namespace Overlap.Storage.Tests.Conformance;

/// <summary>
/// A subject's events found by its hashed id and erased with everything tied to them (<see cref="ISubjectEvents"/>,
/// <see cref="ISubjectState"/>), and raw inputs and outputs cleared after a retention (<see cref="IRawRetention"/>).
/// </summary>
public abstract class SubjectConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    private const string Ana = "hmac:0123456789abcdef0123456789abcdef";
    private const string Raj = "hmac:fedcba9876543210fedcba9876543210";

    private static PredictionEvent Prediction(string feature, string id, string subject, int minutes) =>
        new()
        {
            Id = id,
            Feature = feature,
            Time = Noon.AddMinutes(minutes),
            Score = 0.5,
            InputsJson = $$"""{"text":"about {{id}}"}""",
            AttributesJson = $$"""{"user_id":"{{subject}}","country":"es"}""",
            Output = $"reply to {id}",
        };

    private static List<FeatureEvent> Events() =>
        [
            Prediction("spam", "a1", Ana, 0),
            Prediction("spam", "r1", Raj, 1),
            Prediction("replies", "a2", Ana, 2),
            new OutcomeEvent
            {
                Id = "o1",
                Feature = "spam",
                PredictionId = "a1",
                Label = "spam",
                Time = Noon.AddHours(1),
            },
            new OutcomeEvent
            {
                Id = "o2",
                Feature = "spam",
                PredictionId = "r1",
                Label = "ham",
                Time = Noon.AddHours(1),
            },
            new FeedbackEvent
            {
                Id = "f1",
                Feature = "replies",
                PredictionId = "a2",
                FeedbackKind = FeedbackKinds.ThumbsDown,
                Time = Noon.AddHours(1),
            },
            new BusinessEvent
            {
                Id = "b1",
                Feature = "spam",
                PredictionId = "a1",
                Name = "refund",
                Value = 12,
                Time = Noon.AddHours(2),
            },
            new BusinessEvent
            {
                Id = "b2",
                Feature = "spam",
                Name = "refund",
                Value = 3,
                Time = Noon.AddHours(2),
            },
        ];

    [Fact]
    public async Task A_subject_is_found_by_its_hash_and_erased_with_everything_tied_to_it()
    {
        await using var store = Open();
        await store.Sink.AppendAsync(Events(), Noon.AddHours(3));
        await store.Reviews.RouteForReviewAsync(
            "spam",
            double.NegativeInfinity,
            double.PositiveInfinity,
            1,
            0,
            Noon.AddHours(3)
        );
        var events = store.Get<ISubjectEvents>();
        var state = store.Get<ISubjectState>();

        var found = await events.FindSubjectAsync(Ana);
        Assert.Equal(
            [new SubjectPrediction("replies", "a2", Noon.AddMinutes(2)), new SubjectPrediction("spam", "a1", Noon)],
            found.Predictions
        );
        Assert.Equal((1L, 1L, 1L), (found.Outcomes, found.Feedback, found.Business));
        Assert.Equal(new SubjectState(1, 0, 0, 0), await state.CountAsync(found.Predictions));
        // Finding changes nothing.
        Assert.Equal(new EventCounts(2, 2, 0, 2, 2), await store.Reader.CountAsync("spam"));

        var erased = await events.EraseSubjectAsync(Ana);
        Assert.Equal(found.Predictions, erased.Predictions);
        Assert.Equal((1L, 1L, 1L), (erased.Outcomes, erased.Feedback, erased.Business));
        Assert.Equal(new SubjectState(1, 0, 0, 0), await state.ForgetAsync(erased.Predictions));
        // Raj's prediction and outcome stay, and the business result no prediction names.
        Assert.Equal(new EventCounts(1, 1, 0, 1, 1), await store.Reader.CountAsync("spam"));
        Assert.Equal(new EventCounts(0, 0, 0, 0, 0), await store.Reader.CountAsync("replies"));
        Assert.Equal(
            ["r1"],
            (await store.Reader.ReadEventsAsync("spam", Midnight, Midnight.AddDays(1)))
                .OfType<PredictionEvent>()
                .Select(p => p.Id)
        );
        Assert.Empty((await events.FindSubjectAsync(Ana)).Predictions);
        var again = await events.EraseSubjectAsync(Ana);
        Assert.Equal((0, 0L, 0L, 0L), (again.Predictions.Count, again.Outcomes, again.Feedback, again.Business));
    }

    [Fact]
    public async Task Retention_clears_inputs_and_outputs_before_a_moment_and_keeps_the_rest()
    {
        await using var store = Open();
        await store.Sink.AppendAsync(Events(), Noon.AddHours(3));
        await store.Reviews.RouteForReviewAsync(
            "spam",
            double.NegativeInfinity,
            double.PositiveInfinity,
            1,
            0,
            Noon.AddHours(3)
        );
        async Task<long> ClearAsync()
        {
            long cleared = 0;
            foreach (var retention in store.All<IRawRetention>())
            {
                cleared += await retention.ClearRawAsync("spam", Noon.AddMinutes(1));
            }
            return cleared;
        }

        // The prediction a1, and (on a store that copies them) its review item's inputs.
        Assert.InRange(await ClearAsync(), 1, 2);
        Assert.Equal(0, await ClearAsync());
        var item = await store.Reviews.GetReviewItemAsync("spam", "a1");
        Assert.Equal(
            (null, """{"user_id":"hmac:0123456789abcdef0123456789abcdef","country":"es"}""", 0.5),
            (item!.Inputs, item.Attributes, item.Score)
        );
        Assert.Equal("""{"text":"about r1"}""", (await store.Reviews.GetReviewItemAsync("spam", "r1"))!.Inputs);
        var spam = (await store.Reader.ReadEventsAsync("spam", Midnight, Midnight.AddDays(1)))
            .OfType<PredictionEvent>()
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(
            [
                Prediction("spam", "a1", Ana, 0) with
                {
                    InputsJson = null,
                    Output = null,
                },
                Prediction("spam", "r1", Raj, 1),
            ],
            spam
        );
        Assert.Equal(new EventCounts(2, 2, 0, 2, 2), await store.Reader.CountAsync("spam"));
        // Another feature is untouched.
        Assert.Equal(
            "reply to a2",
            Assert
                .Single(
                    (
                        await store.Reader.ReadEventsAsync("replies", Midnight, Midnight.AddDays(1))
                    ).OfType<PredictionEvent>()
                )
                .Output
        );
    }
}

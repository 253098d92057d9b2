using Overlap.Core.Sampling;
using Overlap.Events;

namespace Overlap.Storage.Tests.Conformance;

/// <summary>The review queue: routing by Core's sampling rules, claims, decisions and their state transitions, escalation, second opinions.</summary>
public abstract class ReviewConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    private static PredictionEvent Prediction(int i) =>
        new()
        {
            Id = $"p{i}",
            Feature = "spam",
            Time = Noon.AddSeconds(i),
            Score = (i % 1000) / 1000.0,
            Prediction = (i % 1000) >= 500 ? "spam" : "ham",
        };

    [Fact]
    public async Task Uncertain_scores_are_all_routed_and_a_stable_share_of_the_rest_is_sampled_once()
    {
        await using var store = Open();
        await store.Sink.AppendAsync([.. Enumerable.Range(0, 4000).Select(Prediction)], Noon);
        var routed = await store.Reviews.RouteForReviewAsync("spam", 0.4, 0.6, 0.1, 0, Noon.AddMinutes(1));

        var items = await store.Reviews.ListReviewItemsAsync("spam", ReviewStatus.Pending, 10_000);
        Assert.Equal(routed, items.Count);
        var uncertain = items.Where(i => i.Reason == "uncertain").Select(i => i.PredictionId).ToHashSet();
        // Scores 0.400 to 0.600 inclusive: 201 of every 1,000.
        Assert.Equal(
            Enumerable.Range(0, 4000).Where(i => i % 1000 is >= 400 and <= 600).Select(i => $"p{i}").ToHashSet(),
            uncertain
        );
        var sampled = items.Where(i => i.Reason == "sample").ToList();
        Assert.All(sampled, i => Assert.True(i.Score is < 0.4 or > 0.6));
        // 10% of the 3,196 others: within four standard deviations (about 4 × 17).
        Assert.InRange(sampled.Count, 320 - 68, 320 + 68);
        var first = items[0];
        Assert.Equal(("spam", ReviewStatus.Pending, Noon.AddMinutes(1)), (first.Feature, first.Status, first.RoutedAt));
        Assert.NotNull(first.Score);
        Assert.NotNull(first.Prediction);

        // Routing again routes nothing; new predictions are routed alone, with the same hash cut.
        Assert.Equal(0, await store.Reviews.RouteForReviewAsync("spam", 0.4, 0.6, 0.1, 0, Noon.AddMinutes(2)));
        await store.Sink.AppendAsync([.. Enumerable.Range(4000, 1000).Select(Prediction)], Noon.AddMinutes(3));
        var more = await store.Reviews.RouteForReviewAsync("spam", 0.4, 0.6, 0.1, 0, Noon.AddMinutes(4));
        Assert.InRange(more, 201 + 80 - 34, 201 + 80 + 34);
        var counts = await store.Reviews.CountReviewItemsAsync("spam");
        Assert.Equal((routed + more, (long)uncertain.Count + 201), (counts.Pending, counts.Uncertain));
        Assert.Equal(Noon.AddMinutes(1), counts.OldestPending);
        Assert.Equal(0, (await store.Reviews.CountReviewItemsAsync("other")).Total);
    }

    [Fact]
    public async Task The_sample_does_not_depend_on_the_order_predictions_arrive_in()
    {
        var sampledSets = new List<HashSet<string>>();
        foreach (var order in new[] { Enumerable.Range(0, 2000), Enumerable.Range(0, 2000).Reverse() })
        {
            await using var store = OpenAnother();
            foreach (var chunk in order.Chunk(300))
            {
                await store.Sink.AppendAsync([.. chunk.Select(Prediction)], Noon);
                await store.Reviews.RouteForReviewAsync(
                    "spam",
                    double.PositiveInfinity,
                    double.NegativeInfinity,
                    0.2,
                    0,
                    Noon
                );
            }
            sampledSets.Add([
                .. (await store.Reviews.ListReviewItemsAsync("spam", null, 10_000)).Select(i => i.PredictionId),
            ]);
        }
        Assert.Equal(sampledSets[0], sampledSets[1]);
        Assert.InRange(sampledSets[0].Count, 400 - 72, 400 + 72);
    }

    [Fact]
    public async Task Items_waiting_too_long_are_escalated_and_decisions_are_counted_per_day()
    {
        await using var store = Open();
        await store.Sink.AppendAsync([.. Enumerable.Range(0, 1000).Select(Prediction)], Noon);
        var routed = await store.Reviews.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon);
        Assert.Equal(201, routed);
        var items = await store.Reviews.ListReviewItemsAsync("spam", ReviewStatus.Pending, 10);

        // Two decided on the first day, one on the next; an expired or foreign lock decides nothing.
        async Task<bool> DecideAsync(ReviewItem item, string reviewer, DateTimeOffset at, bool claim = true)
        {
            if (claim)
            {
                await store.Reviews.ClaimReviewItemAsync("spam", item.PredictionId, reviewer, at, at.AddMinutes(10));
            }
            return await store.Reviews.DecideReviewItemAsync(
                new ReviewDecision("spam", item.PredictionId, reviewer, "approve", "spam", null, null, at),
                ReviewStatus.Decided
            );
        }
        Assert.True(await DecideAsync(items[0], "ana", Noon.AddHours(1)));
        Assert.True(await DecideAsync(items[1], "ana", Noon.AddHours(2)));
        await store.Reviews.ClaimReviewItemAsync(
            "spam",
            items[2].PredictionId,
            "ana",
            Noon.AddHours(3),
            Noon.AddHours(3).AddMinutes(10)
        );
        Assert.False(await DecideAsync(items[2], "ben", Noon.AddHours(3).AddMinutes(1), claim: false));
        Assert.False(await DecideAsync(items[2], "ana", Noon.AddHours(4), claim: false));
        Assert.True(await DecideAsync(items[2], "ana", Noon.AddDays(1)));
        Assert.False(await DecideAsync(items[2], "ana", Noon.AddDays(1).AddMinutes(1)));

        var perDay = await store.Reviews.DecisionsPerDayAsync("spam", Noon.AddDays(1), 3);
        Assert.Equal(
            [(Noon.Date.AddDays(-1), 0L), (Noon.Date, 2L), (Noon.Date.AddDays(1), 1L)],
            perDay.Select(d => (d.Day.UtcDateTime, d.Decided)).Select(d => (d.UtcDateTime.Date, d.Decided))
        );

        // A day later the 198 still pending are escalated; decided items are not.
        Assert.Equal(0, await store.Reviews.EscalateReviewItemsAsync("spam", Noon));
        Assert.Equal(198, await store.Reviews.EscalateReviewItemsAsync("spam", Noon.AddDays(1)));
        var counts = await store.Reviews.CountReviewItemsAsync("spam");
        Assert.Equal((0L, 3L, 198L), (counts.Pending, counts.Decided, counts.Escalated));
        Assert.Equal(0, await store.Reviews.EscalateReviewItemsAsync("spam", Noon.AddDays(2)));
    }

    [Fact]
    public async Task A_decision_without_its_outcome_is_found_until_the_outcome_is_stored()
    {
        await using var store = Open();
        await store.Sink.AppendAsync([.. Enumerable.Range(0, 1000).Select(Prediction)], Noon);
        await store.Reviews.RouteForReviewAsync("spam", 0.4, 0.6, 0, 0, Noon);
        var item = (await store.Reviews.ListReviewItemsAsync("spam", ReviewStatus.Pending, 1))[0];
        await store.Reviews.ClaimReviewItemAsync("spam", item.PredictionId, "ana", Noon, Noon.AddMinutes(10));
        var decision = new ReviewDecision(
            "spam",
            item.PredictionId,
            "ana",
            "correct",
            "ham",
            "newsletter",
            "a note",
            Noon.AddMinutes(1)
        );
        Assert.True(await store.Reviews.DecideReviewItemAsync(decision, ReviewStatus.Decided));

        // The stop came before the outcome was written.
        Assert.Equal([decision], await store.Reviews.UnrecordedDecisionsAsync());
        var outcome = new OutcomeEvent
        {
            Id = decision.OutcomeId,
            PredictionId = item.PredictionId,
            Label = "ham",
            Source = "review",
            Time = decision.DecidedAt,
        };
        Assert.Equal(new AppendResult(1, 0), await store.Sink.AppendAsync([outcome], decision.DecidedAt));
        Assert.Empty(await store.Reviews.UnrecordedDecisionsAsync());
        Assert.Equal(new AppendResult(0, 1), await store.Sink.AppendAsync([outcome], decision.DecidedAt));
    }

    [Fact]
    public async Task A_second_opinion_comes_from_another_reviewer_and_only_a_settling_decision_is_final()
    {
        await using var store = Open();
        await store.Sink.AppendAsync([.. Enumerable.Range(0, 1000).Select(Prediction)], Noon);
        await store.Reviews.RouteForReviewAsync("spam", 0.4, 0.6, 0, 1, Noon);
        var items = await store.Reviews.ListReviewItemsAsync("spam", ReviewStatus.Pending, 3);
        Assert.All(items, i => Assert.Equal(2, i.Opinions));
        var at = Noon.AddMinutes(1);

        async Task<bool> DecideAsync(ReviewItem item, string reviewer, string label, ReviewStatus next)
        {
            at = at.AddMinutes(1);
            var claimed = await store.Reviews.ClaimReviewItemAsync(
                "spam",
                item.PredictionId,
                reviewer,
                at,
                at.AddMinutes(10)
            );
            return claimed!.ClaimedBy == reviewer
                && await store.Reviews.DecideReviewItemAsync(
                    new ReviewDecision("spam", item.PredictionId, reviewer, "correct", label, null, null, at)
                    {
                        Final = next == ReviewStatus.Decided,
                    },
                    next
                );
        }

        // Ana's first opinion waits for a second one; she cannot give it herself, and it is not an outcome to record.
        Assert.True(await DecideAsync(items[0], "ana", "spam", ReviewStatus.Second));
        Assert.Equal(
            ReviewStatus.Second,
            (await store.Reviews.GetReviewItemAsync("spam", items[0].PredictionId))!.Status
        );
        Assert.False(await DecideAsync(items[0], "ana", "spam", ReviewStatus.Decided));
        Assert.Empty(await store.Reviews.UnrecordedDecisionsAsync());
        Assert.True(await DecideAsync(items[0], "ben", "spam", ReviewStatus.Decided));
        Assert.Single(await store.Reviews.UnrecordedDecisionsAsync());

        // Two opinions that differ escalate the item; neither reviewer may settle it, a third one does.
        Assert.True(await DecideAsync(items[1], "ana", "spam", ReviewStatus.Second));
        Assert.True(await DecideAsync(items[1], "ben", "ham", ReviewStatus.Escalated));
        var escalated = await store.Reviews.GetReviewItemAsync("spam", items[1].PredictionId);
        Assert.Equal((ReviewStatus.Escalated, "disagreement"), (escalated!.Status, escalated.EscalatedBecause));
        Assert.False(await DecideAsync(items[1], "ana", "ham", ReviewStatus.Decided));
        Assert.False(await DecideAsync(items[1], "ben", "ham", ReviewStatus.Decided));
        Assert.True(await DecideAsync(items[1], "cleo", "ham", ReviewStatus.Decided));
        Assert.Equal(
            ["ana", "ben", "cleo"],
            (await store.Reviews.ReviewDecisionsAsync("spam", items[1].PredictionId)).Select(d => d.Reviewer)
        );
        Assert.Equal(
            [false, false, true],
            (await store.Reviews.ReviewDecisionsAsync("spam", items[1].PredictionId)).Select(d => d.Final)
        );

        // The first two answers of each item decided twice, for the agreement figure; the third does not count.
        Assert.Equal(
            [("spam", "spam"), ("spam", "ham")],
            (await store.Reviews.SecondOpinionsAsync("spam")).OrderBy(p => p.Second == "ham")
        );
        var counts = await store.Reviews.CountReviewItemsAsync("spam");
        Assert.Equal((2L, 1L, 0L), (counts.Decided, counts.Disagreements, counts.AwaitingSecond));

        // Only the settling decision of each item is listed for the review page's breakdown, with the model's score and prediction.
        var settled = await store.Reviews.SettledReviewsAsync("spam");
        Assert.Equal(
            [
                (items[0].PredictionId, "correct", "spam", items[0].Score, items[0].Prediction),
                (items[1].PredictionId, "correct", "ham", items[1].Score, items[1].Prediction),
            ],
            settled.Select(d => (d.PredictionId, d.Decision, d.Label, d.Score, d.Prediction))
        );
        Assert.Empty(await store.Reviews.SettledReviewsAsync("other"));

        // A lock given up is free for the next reviewer at once.
        at = at.AddMinutes(1);
        await store.Reviews.ClaimReviewItemAsync("spam", items[2].PredictionId, "dan", at, at.AddMinutes(10));
        await store.Reviews.ReleaseReviewItemAsync("spam", items[2].PredictionId, "dan");
        Assert.Equal(
            "eve",
            (
                await store.Reviews.ClaimReviewItemAsync("spam", items[2].PredictionId, "eve", at, at.AddMinutes(10))
            )!.ClaimedBy
        );
    }

    [Fact]
    public async Task The_second_opinion_share_is_picked_by_the_id_whatever_the_order()
    {
        await using var store = Open();
        await store.Sink.AppendAsync([.. Enumerable.Range(0, 2000).Select(Prediction)], Noon);
        await store.Reviews.RouteForReviewAsync("spam", double.PositiveInfinity, double.NegativeInfinity, 1, 0.3, Noon);
        var twice = (await store.Reviews.ListReviewItemsAsync("spam", ReviewStatus.Pending, 2000))
            .Where(i => i.Opinions == 2)
            .Select(i => i.PredictionId)
            .ToHashSet();
        // 30% of 2,000 is 600, with a binomial standard deviation of about 20.
        Assert.InRange(twice.Count, 540, 660);

        await using var reversed = OpenAnother();
        foreach (var i in Enumerable.Range(0, 2000).Reverse().Chunk(500))
        {
            await reversed.Sink.AppendAsync([.. i.Select(Prediction)], Noon);
            await reversed.Reviews.RouteForReviewAsync(
                "spam",
                double.PositiveInfinity,
                double.NegativeInfinity,
                1,
                0.3,
                Noon
            );
        }
        Assert.Equal(
            twice,
            (await reversed.Reviews.ListReviewItemsAsync("spam", ReviewStatus.Pending, 2000))
                .Where(i => i.Opinions == 2)
                .Select(i => i.PredictionId)
                .ToHashSet()
        );
    }

    [Fact]
    public async Task The_store_routes_and_samples_exactly_the_ids_Cores_rules_pick()
    {
        await using var store = Open();
        var ids = Enumerable.Range(0, 3000).Select(i => $"p{i}").ToList();
        await store.Sink.AppendAsync([.. Enumerable.Range(0, 3000).Select(Prediction)], Noon);
        await store.Reviews.RouteForReviewAsync(
            "spam",
            double.PositiveInfinity,
            double.NegativeInfinity,
            0.15,
            0.4,
            Noon
        );
        var items = await store.Reviews.ListReviewItemsAsync("spam", null, 10_000);
        Assert.Equal(
            ids.Where(id => StableSample.Takes(id, 0.15)).ToHashSet(),
            items.Select(i => i.PredictionId).ToHashSet()
        );
        Assert.Equal(
            items
                .Where(i => StableSample.NeedsSecondOpinion(i.PredictionId, 0.4))
                .Select(i => i.PredictionId)
                .ToHashSet(),
            items.Where(i => i.Opinions == 2).Select(i => i.PredictionId).ToHashSet()
        );

        var sample = await store.Reader.ReadPredictionsAsync("spam", Noon, Noon.AddDays(1), [], sample: 250);
        Assert.Equal(StableSample.Pick(ids, 250), sample.Ids);
    }
}

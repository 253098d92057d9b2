using Overlap.Core.Events;

namespace Overlap.Storage.Tests;

/// <summary>Routing to the review queue on a real DuckDB file.</summary>
public sealed class ReviewStoreTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-review-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PredictionEvent Prediction(int i) => new()
    {
        Id = $"p{i}", Feature = "spam", Time = Noon.AddSeconds(i), Score = (i % 1000) / 1000.0, Prediction = (i % 1000) >= 500 ? "spam" : "ham",
    };

    [Fact]
    public async Task Uncertain_scores_are_all_routed_and_a_stable_share_of_the_rest_is_sampled_once()
    {
        await using var store = await DuckDbEventStore.OpenAsync(_folder);
        await store.AppendAsync([.. Enumerable.Range(0, 4000).Select(Prediction)], Noon);
        var routed = await store.RouteForReviewAsync("spam", 0.4, 0.6, 0.1, Noon.AddMinutes(1));

        var items = await store.ListReviewItemsAsync("spam", "pending", 10_000);
        Assert.Equal(routed, items.Count);
        var uncertain = items.Where(i => i.Reason == "uncertain").Select(i => i.PredictionId).ToHashSet();
        // Scores 0.400 to 0.600 inclusive: 201 of every 1,000.
        Assert.Equal(Enumerable.Range(0, 4000).Where(i => i % 1000 is >= 400 and <= 600).Select(i => $"p{i}").ToHashSet(), uncertain);
        var sampled = items.Where(i => i.Reason == "sample").ToList();
        Assert.All(sampled, i => Assert.True(i.Score is < 0.4 or > 0.6));
        // 10% of the 3,196 others: within four standard deviations (about 4 × 17).
        Assert.InRange(sampled.Count, 320 - 68, 320 + 68);
        var first = items[0];
        Assert.Equal(("spam", "pending", Noon.AddMinutes(1)), (first.Feature, first.Status, first.RoutedAt));
        Assert.NotNull(first.Score);
        Assert.NotNull(first.Prediction);

        // Routing again routes nothing; new predictions are routed alone, with the same hash cut.
        Assert.Equal(0, await store.RouteForReviewAsync("spam", 0.4, 0.6, 0.1, Noon.AddMinutes(2)));
        await store.AppendAsync([.. Enumerable.Range(4000, 1000).Select(Prediction)], Noon.AddMinutes(3));
        var more = await store.RouteForReviewAsync("spam", 0.4, 0.6, 0.1, Noon.AddMinutes(4));
        Assert.InRange(more, 201 + 80 - 34, 201 + 80 + 34);
        var counts = await store.CountReviewItemsAsync("spam");
        Assert.Equal((routed + more, (long)uncertain.Count + 201), (counts.Pending, counts.Uncertain));
        Assert.Equal(Noon.AddMinutes(1), counts.OldestPending);
        Assert.Equal(0, (await store.CountReviewItemsAsync("other")).Total);
    }

    [Fact]
    public async Task The_sample_does_not_depend_on_the_order_predictions_arrive_in()
    {
        var sampledSets = new List<HashSet<string>>();
        foreach (var order in new[] { Enumerable.Range(0, 2000), Enumerable.Range(0, 2000).Reverse() })
        {
            var folder = Directory.CreateTempSubdirectory("overlap-review-order-").FullName;
            try
            {
                await using var store = await DuckDbEventStore.OpenAsync(folder);
                foreach (var chunk in order.Chunk(300))
                {
                    await store.AppendAsync([.. chunk.Select(Prediction)], Noon);
                    await store.RouteForReviewAsync("spam", double.PositiveInfinity, double.NegativeInfinity, 0.2, Noon);
                }
                sampledSets.Add([.. (await store.ListReviewItemsAsync("spam", null, 10_000)).Select(i => i.PredictionId)]);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        Assert.Equal(sampledSets[0], sampledSets[1]);
        Assert.InRange(sampledSets[0].Count, 400 - 72, 400 + 72);
    }

    [Fact]
    public async Task Items_waiting_too_long_are_escalated_and_decisions_are_counted_per_day()
    {
        await using var store = await DuckDbEventStore.OpenAsync(_folder);
        await store.AppendAsync([.. Enumerable.Range(0, 1000).Select(Prediction)], Noon);
        var routed = await store.RouteForReviewAsync("spam", 0.4, 0.6, 0, Noon);
        Assert.Equal(201, routed);
        var items = await store.ListReviewItemsAsync("spam", "pending", 10);

        // Two decided on the first day, one on the next; an expired or foreign lock decides nothing.
        async Task<bool> DecideAsync(ReviewItem item, string reviewer, DateTimeOffset at, bool claim = true)
        {
            if (claim)
            {
                await store.ClaimReviewItemAsync("spam", item.PredictionId, reviewer, at, at.AddMinutes(10));
            }
            return await store.DecideReviewItemAsync(new ReviewDecision("spam", item.PredictionId, reviewer, "approve", "spam", null, null, at));
        }
        Assert.True(await DecideAsync(items[0], "ana", Noon.AddHours(1)));
        Assert.True(await DecideAsync(items[1], "ana", Noon.AddHours(2)));
        await store.ClaimReviewItemAsync("spam", items[2].PredictionId, "ana", Noon.AddHours(3), Noon.AddHours(3).AddMinutes(10));
        Assert.False(await DecideAsync(items[2], "ben", Noon.AddHours(3).AddMinutes(1), claim: false));
        Assert.False(await DecideAsync(items[2], "ana", Noon.AddHours(4), claim: false));
        Assert.True(await DecideAsync(items[2], "ana", Noon.AddDays(1)));
        Assert.False(await DecideAsync(items[2], "ana", Noon.AddDays(1).AddMinutes(1)));

        var perDay = await store.DecisionsPerDayAsync("spam", Noon.AddDays(1), 3);
        Assert.Equal([(Noon.Date.AddDays(-1), 0L), (Noon.Date, 2L), (Noon.Date.AddDays(1), 1L)], perDay.Select(d => (d.Day.UtcDateTime, d.Decided)).Select(d => (d.UtcDateTime.Date, d.Decided)));

        // A day later the 198 still pending are escalated; decided items are not.
        Assert.Equal(0, await store.EscalateReviewItemsAsync("spam", Noon));
        Assert.Equal(198, await store.EscalateReviewItemsAsync("spam", Noon.AddDays(1)));
        var counts = await store.CountReviewItemsAsync("spam");
        Assert.Equal((0L, 3L, 198L), (counts.Pending, counts.Decided, counts.Escalated));
        Assert.Equal(0, await store.EscalateReviewItemsAsync("spam", Noon.AddDays(2)));
    }

    [Fact]
    public async Task A_decision_without_its_outcome_is_found_until_the_outcome_is_stored()
    {
        await using var store = await DuckDbEventStore.OpenAsync(_folder);
        await store.AppendAsync([.. Enumerable.Range(0, 1000).Select(Prediction)], Noon);
        await store.RouteForReviewAsync("spam", 0.4, 0.6, 0, Noon);
        var item = (await store.ListReviewItemsAsync("spam", "pending", 1))[0];
        await store.ClaimReviewItemAsync("spam", item.PredictionId, "ana", Noon, Noon.AddMinutes(10));
        var decision = new ReviewDecision("spam", item.PredictionId, "ana", "correct", "ham", "newsletter", "a note", Noon.AddMinutes(1));
        Assert.True(await store.DecideReviewItemAsync(decision));

        // The stop came before the outcome was written.
        Assert.Equal([decision], await store.UnrecordedDecisionsAsync());
        var outcome = new OutcomeEvent { Id = decision.OutcomeId, PredictionId = item.PredictionId, Label = "ham", Source = "review", Time = decision.DecidedAt };
        Assert.Equal(new AppendResult(1, 0), await store.AppendAsync([outcome], decision.DecidedAt));
        Assert.Empty(await store.UnrecordedDecisionsAsync());
        Assert.Equal(new AppendResult(0, 1), await store.AppendAsync([outcome], decision.DecidedAt));
    }
}

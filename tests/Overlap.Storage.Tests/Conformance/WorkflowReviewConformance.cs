using Overlap.Events;

namespace Overlap.Storage.Tests.Conformance;

/// <summary>
/// Calls the contract's workflow guard escalated or abstained on enter the review queue with the guard's reason, before
/// the score band and the sample, and even when the contract routes nothing else (an empty band, no sample).
/// </summary>
public abstract class WorkflowReviewConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    private static PredictionEvent Call(string id, double score, string? route, string? reason = null) =>
        new()
        {
            Id = id,
            Feature = "fraud",
            Time = Noon,
            Score = score,
            Workflow = route is null
                ? null
                : new WorkflowTrace
                {
                    Route = route,
                    Attempts = 1,
                    Reason = reason,
                },
        };

    private static readonly PredictionEvent[] Calls =
    [
        Call("e1", 0.97, WorkflowRoutes.Escalate, "amount above 10,000 EUR: a person decides"),
        Call("a1", 0.5, WorkflowRoutes.Abstain, "score 0.5 is in the uncertain band 0.4-0.6"),
        Call("d1", 0.5, WorkflowRoutes.Direct),
        Call("f1", 0.1, WorkflowRoutes.Fallback, "the model timed out; the rule answered"),
        Call("n1", 0.2, null),
    ];

    [Fact]
    public async Task WorkflowRoutedCalls_EnterTheQueue_WithTheGuardsReason_WithoutAReviewPolicy()
    {
        await using var store = Open();
        await store.Sink.AppendAsync(Calls, Noon);
        // No band (low above high) and no sample: what a contract without a review section routes.
        var routed = await store.Reviews.RouteForReviewAsync(
            "fraud",
            double.PositiveInfinity,
            double.NegativeInfinity,
            0,
            0,
            Noon.AddMinutes(1)
        );
        Assert.Equal(2, routed);
        var items = await store.Reviews.ListReviewItemsAsync("fraud", ReviewStatus.Pending, 10);
        Assert.Equal(
            [
                ("a1", "abstain", "score 0.5 is in the uncertain band 0.4-0.6"),
                ("e1", "escalate", "amount above 10,000 EUR: a person decides"),
            ],
            items
                .Select(i => (i.PredictionId, i.Reason, i.WorkflowReason))
                .OrderBy(i => i.PredictionId, StringComparer.Ordinal)
        );
        var counts = await store.Reviews.CountReviewItemsAsync("fraud");
        Assert.Equal((2L, 0L, 0L, 2L), (counts.Workflow, counts.Uncertain, counts.Sampled, counts.Total));
        Assert.Equal(
            "amount above 10,000 EUR: a person decides",
            (await store.Reviews.GetReviewItemAsync("fraud", "e1"))!.WorkflowReason
        );
    }

    [Fact]
    public async Task WorkflowRoute_ComesBeforeTheBand_AndTheBandStillRoutesTheRest()
    {
        await using var store = Open();
        await store.Sink.AppendAsync(Calls, Noon);
        await store.Reviews.RouteForReviewAsync("fraud", 0.4, 0.6, 0, 0, Noon.AddMinutes(1));
        var items = await store.Reviews.ListReviewItemsAsync("fraud", ReviewStatus.Pending, 10);
        Assert.Equal(
            [("a1", "abstain"), ("d1", "uncertain"), ("e1", "escalate")],
            items.Select(i => (i.PredictionId, i.Reason)).OrderBy(i => i.PredictionId, StringComparer.Ordinal)
        );
        Assert.Null(items.Single(i => i.PredictionId == "d1").WorkflowReason);
        var counts = await store.Reviews.CountReviewItemsAsync("fraud");
        Assert.Equal((2L, 1L, 3L), (counts.Workflow, counts.Uncertain, counts.Total));
    }
}

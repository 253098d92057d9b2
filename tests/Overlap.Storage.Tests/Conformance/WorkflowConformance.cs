using Overlap.Events;

namespace Overlap.Storage.Tests.Conformance;

/// <summary>
/// A prediction's workflow trace (what the contract's guard did with the call) is kept by every store and read back by
/// every reader of predictions: the events as stored (export), the window rows (route, attempts and failed checks; no
/// reason), and the predictions in the order received (the review queue, which shows the reason).
/// </summary>
public abstract class WorkflowConformance<TBackend> : StoreConformance<TBackend>
    where TBackend : IConformanceBackend, new()
{
    private static readonly WorkflowTrace Retried = new()
    {
        Route = WorkflowRoutes.Retry,
        Attempts = 2,
        FailedChecks = ["json_format"],
        Reason = "the first draft was not valid JSON: 'Unexpected \"}\"'",
    };

    private static readonly WorkflowTrace Escalated = new()
    {
        Route = WorkflowRoutes.Escalate,
        Attempts = 3,
        FailedChecks = ["no_refund_promise", "json_format", "no_refund_promise"],
        Reason = "three drafts promised a refund; a person answers \u00e9\ud83d\ude00",
    };

    private static PredictionEvent[] Predictions(DateTimeOffset time) =>
        [
            new()
            {
                Id = "w1",
                Time = time,
                Feature = "reply-drafter",
                Cost = 0.004,
                Workflow = Retried,
            },
            new()
            {
                Id = "w2",
                Time = time.AddSeconds(1),
                Feature = "reply-drafter",
                Workflow = Escalated,
            },
            new()
            {
                Id = "w3",
                Time = time.AddSeconds(2),
                Feature = "reply-drafter",
                Workflow = new WorkflowTrace { Route = WorkflowRoutes.Reject, Attempts = 0 },
            },
            new()
            {
                Id = "w4",
                Time = time.AddSeconds(3),
                Feature = "reply-drafter",
            },
        ];

    [Fact]
    public async Task ReadEvents_Workflow_ReadsBackAsAppended_AfterReopening()
    {
        var sent = Predictions(Noon);
        await using (var store = Open())
        {
            Assert.Equal(new AppendResult(4, 0), await store.Sink.AppendAsync(sent, Noon));
        }
        await using var reopened = Open();
        Assert.Equal(sent, await reopened.Reader.ReadEventsAsync("reply-drafter", Midnight, Midnight.AddDays(1)));
    }

    [Fact]
    public async Task ReadPredictions_CarryRouteAttemptsAndChecks_WithoutTheReason()
    {
        await using var store = Open();
        await store.Sink.AppendAsync(Predictions(Noon), Noon);
        var rows = await store.Reader.ReadPredictionsAsync("reply-drafter", Midnight, Midnight.AddDays(1), []);
        Assert.Equal(["w1", "w2", "w3", "w4"], rows.Ids);
        IEnumerable<WorkflowTrace?> expected =
        [
            Retried with
            {
                Reason = null,
            },
            Escalated with
            {
                Reason = null,
            },
            new WorkflowTrace { Route = "reject", Attempts = 0 },
            null,
        ];
        Assert.Equal(expected, rows.Workflows.AsEnumerable());
        var chunks = new List<WorkflowTrace?>();
        await foreach (
            var chunk in store.Reader.ReadPredictionChunksAsync("reply-drafter", Midnight, Midnight.AddDays(1), [], 1)
        )
        {
            chunks.AddRange(chunk.Workflows);
        }
        Assert.Equal(rows.Workflows.AsEnumerable(), chunks);
    }

    [Fact]
    public async Task PredictionsAfter_CarryTheWholeTrace()
    {
        await using var store = Open();
        await store.Sink.AppendAsync(Predictions(Noon), Noon);
        var read = await store.Reader.PredictionsAfterAsync("reply-drafter", ReceivedPosition.Start, 10);
        Assert.Equal<WorkflowTrace?>(
            [Retried, Escalated, new WorkflowTrace { Route = "reject", Attempts = 0 }, null],
            read.Select(p => p.Workflow)
        );
    }

    [Fact]
    public async Task ClearRaw_ClearsTheReason_KeepsTheRouteAndChecks()
    {
        await using var store = Open();
        await store.Sink.AppendAsync(Predictions(Noon), Noon);
        foreach (var retention in store.All<IRawRetention>())
        {
            await retention.ClearRawAsync("reply-drafter", Noon.AddSeconds(1));
        }
        var read = await store.Reader.ReadEventsAsync("reply-drafter", Midnight, Midnight.AddDays(1));
        IEnumerable<WorkflowTrace?> expected =
        [
            Retried with
            {
                Reason = null,
            },
            Escalated,
            new WorkflowTrace { Route = "reject", Attempts = 0 },
            null,
        ];
        Assert.Equal(expected, read.Cast<PredictionEvent>().Select(p => p.Workflow));
    }
}

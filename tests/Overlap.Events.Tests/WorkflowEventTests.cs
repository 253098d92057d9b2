using System.Text;
using Overlap.Events;

namespace Overlap.Events.Tests;

/// <summary>A prediction's <c>workflow</c> object: read, refused with what to send, written back.</summary>
public sealed class WorkflowEventTests
{
    private static EventBatch Parse(string body) => EventParser.Parse(Encoding.UTF8.GetBytes(body));

    private const string Head = """{"type":"prediction","feature":"reply-drafter","time":"2026-11-23T10:00:00Z",""";

    [Fact]
    public void Prediction_Workflow_IsRead()
    {
        var batch = Parse(
            $$$"""
            {{{Head}}}"id":"a","workflow":{"route":"retry","attempts":2,"failed_checks":["json_format","no_refund_promise"],"reason":"the first draft was not JSON"}}
            {{{Head}}}"id":"b","workflow":{"route":"direct"}}
            {{{Head}}}"id":"c","workflow":null}
            {{{Head}}}"id":"d","workflow":{"route":"reject","attempts":0,"failed_checks":[]}}
            """
        );
        Assert.Empty(batch.Errors);
        var events = batch.Events.Select(e => Assert.IsType<PredictionEvent>(e.Event)).ToList();
        Assert.Equal(
            new WorkflowTrace
            {
                Route = WorkflowRoutes.Retry,
                Attempts = 2,
                FailedChecks = ["json_format", "no_refund_promise"],
                Reason = "the first draft was not JSON",
            },
            events[0].Workflow
        );
        Assert.Equal(new WorkflowTrace { Route = WorkflowRoutes.Direct, Attempts = 1 }, events[1].Workflow);
        Assert.Null(events[2].Workflow);
        Assert.Equal(0, events[3].Workflow!.Attempts);
        Assert.Empty(events[3].Workflow!.FailedChecks);
    }

    [Fact]
    public void WorkflowTrace_ComparesFailedChecksByValue()
    {
        var a = new WorkflowTrace { Route = "retry", FailedChecks = ["x", "y"] };
        Assert.Equal(
            a,
            new WorkflowTrace
            {
                Route = "retry",
                FailedChecks = new List<string> { "x", "y" },
            }
        );
        Assert.Equal(a.GetHashCode(), new WorkflowTrace { Route = "retry", FailedChecks = ["x", "y"] }.GetHashCode());
        Assert.NotEqual(a, new WorkflowTrace { Route = "retry", FailedChecks = ["y", "x"] });
    }

    [Theory]
    [InlineData(
        "\"workflow\":\"retry\"",
        "'workflow' is the text \"retry\"; send an object such as {\"route\":\"retry\",\"attempts\":2,\"failed_checks\":[\"json_format\"],\"reason\":\"...\"}"
    )]
    [InlineData(
        "\"workflow\":{\"attempts\":2}",
        "'workflow.route' is missing; say which route the call took: direct, retry, fallback, escalate, abstain, reject"
    )]
    [InlineData(
        "\"workflow\":{\"route\":\"retried\"}",
        "'workflow.route' is 'retried'; use one of direct, retry, fallback, escalate, abstain, reject"
    )]
    [InlineData(
        "\"workflow\":{\"route\":\"retry\",\"attempts\":-1}",
        "'workflow.attempts' is the number -1; it must be a whole number from 0 to 100 (how many times the model was asked)"
    )]
    [InlineData(
        "\"workflow\":{\"route\":\"retry\",\"attempts\":101}",
        "'workflow.attempts' is the number 101; it must be a whole number from 0 to 100 (how many times the model was asked)"
    )]
    [InlineData(
        "\"workflow\":{\"route\":\"retry\",\"attempts\":1.5}",
        "'workflow.attempts' is the number 1.5; it must be a whole number from 0 to 100 (how many times the model was asked)"
    )]
    [InlineData(
        "\"workflow\":{\"route\":\"retry\",\"failed_checks\":\"json_format\"}",
        "'workflow.failed_checks' is the text \"json_format\"; send a list of check names, such as [\"json_format\"]"
    )]
    [InlineData(
        "\"workflow\":{\"route\":\"retry\",\"failed_checks\":[\"a\",3]}",
        "'workflow.failed_checks[1]' is the number 3; send a list of check names, such as [\"json_format\"]"
    )]
    [InlineData(
        "\"workflow\":{\"route\":\"retry\",\"failed_checks\":[\"\"]}",
        "'workflow.failed_checks[0]' is the text \"\"; send a list of check names, such as [\"json_format\"]"
    )]
    [InlineData(
        "\"workflow\":{\"route\":\"escalate\",\"reason\":{\"text\":\"x\"}}",
        "'reason' is an object; it must be text, a number or true/false"
    )]
    public void Prediction_BadWorkflow_IsRefusedWithWhatToSend(string field, string error)
    {
        var batch = Parse(
            $$$"""
            {{{Head}}}"id":"ok","workflow":{"route":"fallback"}}
            {{{Head}}}"id":"bad",{{{field}}}}
            """
        );
        Assert.Equal("ok", Assert.Single(batch.Events).Event.Id);
        Assert.Equal(new EventError(1, error), Assert.Single(batch.Errors));
    }

    [Fact]
    public void Prediction_OverlongWorkflowParts_AreRefused()
    {
        var longName = new string('c', 101);
        var longReason = new string('r', 2001);
        var many = string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"c{i}\""));
        var batch = Parse(
            $$$"""
            {{{Head}}}"id":"a","workflow":{"route":"retry","failed_checks":["{{{longName}}}"]}}
            {{{Head}}}"id":"b","workflow":{"route":"escalate","reason":"{{{longReason}}}"}}
            {{{Head}}}"id":"c","workflow":{"route":"retry","failed_checks":[{{{many}}}]}}
            """
        );
        Assert.Empty(batch.Events);
        Assert.Equal(
            [
                new EventError(0, "'workflow.failed_checks[0]' is 101 characters long; a check's name is at most 100"),
                new EventError(1, "'workflow.reason' is 2,001 characters long; keep it to 2,000"),
                new EventError(2, "'workflow.failed_checks' lists 51 checks; send at most 50"),
            ],
            batch.Errors
        );
    }

    [Fact]
    public void Workflow_WrittenThenRead_IsTheSame()
    {
        var time = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        FeatureEvent[] events =
        [
            new PredictionEvent
            {
                Id = "a",
                Time = time,
                Feature = "reply-drafter",
                Cost = 0.002,
                Workflow = new WorkflowTrace
                {
                    Route = WorkflowRoutes.Escalate,
                    Attempts = 3,
                    FailedChecks = ["json_format", "json_format", "tone"],
                    Reason = "three drafts failed \"json_format\"; a person writes this one",
                },
            },
            new PredictionEvent
            {
                Id = "b",
                Time = time,
                Feature = "reply-drafter",
                Workflow = new WorkflowTrace { Route = WorkflowRoutes.Direct },
            },
            new PredictionEvent
            {
                Id = "c",
                Time = time,
                Feature = "reply-drafter",
            },
        ];
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        EventWriter.WriteNdjson(events, output);
        var batch = EventParser.Parse(output.WrittenMemory);
        Assert.Empty(batch.Errors);
        Assert.Equal(events, batch.Events.Select(e => e.Event));
        Assert.Contains(
            "\"workflow\":{\"route\":\"direct\",\"attempts\":1,\"failed_checks\":[]}",
            Encoding.UTF8.GetString(output.WrittenSpan),
            StringComparison.Ordinal
        );
    }
}

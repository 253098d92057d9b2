using System.Globalization;
using System.Text.Json;
using Overlap.Core.Workflow;
using Overlap.Events;

namespace Overlap.Guard.Tests;

/// <summary>
/// <see cref="OverlapGuard.Decide(IReadOnlyDictionary{string, object?}, double, string?)"/> on the spam demo: the
/// SpamDemo model's held-out scores (tests/Overlap.Demo.Tests/Fixtures/scores/holdout.csv) under the demo's contract
/// with a workflow, logged to a real server. The decisions are checked against Fixtures/make_guard_fixtures.py (pandas).
/// </summary>
public sealed class OverlapGuardTests : IAsyncLifetime
{
    private const string Feature = "spam-filter";
    private static readonly JsonElement Expected = JsonDocument
        .Parse(File.ReadAllText(Fixture("guard_expected.json")))
        .RootElement;
    private GuardServer _server = null!;

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>
    /// The demo's contract with the tests' workflow in place of its own (its last section), whose expectations refuse
    /// some held-out emails on purpose and whose band is the review band by default.
    /// </summary>
    private static string Contract(string extra = "")
    {
        var demo = File.ReadAllText(Fixture("spam-filter.yaml"));
        var own = demo.IndexOf("\nworkflow:", StringComparison.Ordinal);
        return (own < 0 ? demo : demo[..(own + 1)]) + File.ReadAllText(Fixture("spam-workflow.yaml")) + extra;
    }

    public async Task InitializeAsync() => _server = await GuardServer.StartAsync(Feature, Contract());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private OverlapGuard Guard(string extra = "") =>
        OverlapGuard.Create(
            Contract(extra),
            _server.Client,
            new OverlapGuardOptions { ModelVersion = "v1", Time = _server.Time }
        );

    /// <summary>The held-out emails: id, the model's inputs as an application holds them, the score and the true label.</summary>
    private static IEnumerable<(string Id, Dictionary<string, object?> Inputs, double Score, bool Spam)> Emails()
    {
        var lines = File.ReadAllLines(Fixture("holdout.csv"));
        var header = lines[0].Split(',');
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            var row = header.Zip(cells).ToDictionary(p => p.First, p => p.Second);
            yield return (
                row["message_id"],
                new Dictionary<string, object?>
                {
                    ["sender_domain_type"] = row["sender_domain_type"],
                    ["subject_length"] = int.Parse(row["subject_length"], CultureInfo.InvariantCulture),
                    ["body_length"] = int.Parse(row["body_length"], CultureInfo.InvariantCulture),
                    ["links"] = int.Parse(row["links"], CultureInfo.InvariantCulture),
                    ["attachments"] = int.Parse(row["attachments"], CultureInfo.InvariantCulture),
                },
                double.Parse(row["p_spam"], CultureInfo.InvariantCulture),
                row["is_spam"] == "spam"
            );
        }
    }

    [Fact]
    public async Task Decide_OnTheDemosHeldOutScores_RejectsAbstainsAndDecidesAsPandasDoes()
    {
        var guard = Guard();
        var decisions = Emails().Select(e => (e.Id, e.Spam, Decision: guard.Decide(e.Inputs, e.Score, e.Id))).ToList();

        var outcomes = Expected.GetProperty("outcomes");
        Assert.Equal(Expected.GetProperty("n").GetInt32(), decisions.Count);
        Assert.Equal(
            [
                ("positive", outcomes.GetProperty("positive").GetInt32()),
                ("negative", outcomes.GetProperty("negative").GetInt32()),
                ("abstain", outcomes.GetProperty("abstain").GetInt32()),
                ("reject", outcomes.GetProperty("reject").GetInt32()),
            ],
            new[] { GuardOutcome.Positive, GuardOutcome.Negative, GuardOutcome.Abstain, GuardOutcome.Reject }.Select(
                o => (o.ToString().ToLowerInvariant(), decisions.Count(d => d.Decision.Outcome == o))
            )
        );
        Assert.Equal(
            Expected.GetProperty("rejected_ids").EnumerateArray().Select(i => i.GetString()),
            decisions
                .Where(d => d.Decision.Outcome == GuardOutcome.Reject)
                .Select(d => d.Id)
                .Order(StringComparer.Ordinal)
        );
        Assert.Equal(
            Expected.GetProperty("abstained_ids").EnumerateArray().Select(i => i.GetString()),
            decisions
                .Where(d => d.Decision.Outcome == GuardOutcome.Abstain)
                .Select(d => d.Id)
                .Order(StringComparer.Ordinal)
        );
        Assert.Equal(
            Expected
                .GetProperty("failed_checks")
                .EnumerateObject()
                .Select(p => (p.Name, p.Value.GetInt32()))
                .OrderBy(p => p.Name, StringComparer.Ordinal),
            decisions
                .SelectMany(d => d.Decision.Trace.FailedChecks)
                .GroupBy(n => n, StringComparer.Ordinal)
                .Select(g => (g.Key, g.Count()))
                .OrderBy(p => p.Key, StringComparer.Ordinal)
        );
        Assert.Equal(
            Expected.GetProperty("wrong_decided").GetInt32(),
            decisions.Count(d => d.Decision.Decided && (d.Decision.Outcome == GuardOutcome.Positive) != d.Spam)
        );

        // One prediction per call on the server; a rejected email carries no score, an abstained one no decision.
        var stored = await _server.StoredAsync();
        Assert.Equal(decisions.Count, stored.Count);
        var sent = _server.Client.Predictions.ToDictionary(p => p.Id);
        foreach (var (id, _, decision) in decisions)
        {
            var p = stored[id];
            Assert.Equal(decision.Outcome == GuardOutcome.Reject ? null : decision.Score, p.Score);
            Assert.Equal(decision.Label, p.Prediction);
            Assert.Equal("v1", p.ModelVersion);
            Assert.Equal(decision.Trace, sent[id].Workflow);
            Assert.Equal(decision.Trace, p.Workflow);
        }
    }

    /// <summary>An email that meets every input expectation.</summary>
    private static Dictionary<string, object?> Ok() =>
        new()
        {
            ["sender_domain_type"] = "freemail",
            ["subject_length"] = 20,
            ["body_length"] = 900,
            ["links"] = 2,
        };

    [Fact]
    public void Decide_EachRoute_SaysWhyInTheContractsWords()
    {
        var guard = Guard();
        var ok = Ok();
        var spam = guard.Decide(ok, 0.93, "a");
        Assert.Equal(
            (GuardOutcome.Positive, "spam", "direct", null),
            (spam.Outcome, spam.Label, spam.Route, spam.Reason)
        );
        Assert.Equal(new WorkflowTrace { Route = "direct" }, spam.Trace);
        Assert.Equal((GuardOutcome.Negative, "ham"), (guard.Decide(ok, 0.2).Outcome, guard.Decide(ok, 0.2).Label));

        var unsure = guard.Decide(ok, 0.8);
        Assert.Equal(GuardOutcome.Abstain, unsure.Outcome);
        Assert.Null(unsure.Label);
        Assert.Equal(
            new WorkflowTrace
            {
                Route = "abstain",
                Attempts = 1,
                Reason = "the score is in the uncertain band (score between 0.5 and 0.8); a person decides",
            },
            unsure.Trace with
            {
                FailedChecks = [],
            }
        );

        var scored = 0;
        var refused = guard.Decide(
            new Dictionary<string, object?>
            {
                ["subject_length"] = 0,
                ["body_length"] = 900,
                ["links"] = 31,
            },
            _ =>
            {
                scored++;
                return 0.99;
            }
        );
        Assert.Equal(0, scored);
        Assert.Equal(GuardOutcome.Reject, refused.Outcome);
        Assert.Equal(
            ["required.sender_domain_type", "range.subject_length", "range.links"],
            refused.Trace.FailedChecks
        );
        Assert.Equal(0, refused.Trace.Attempts);
        Assert.Equal(
            "required.sender_domain_type: 'sender_domain_type' is missing or empty; the workflow's input expectations require it; "
                + "range.subject_length: 'subject_length' is 0, outside the range allowed; it must lie at or above 1; "
                + "range.links: 'links' is 31, outside the range allowed; it must lie from 0 to 30",
            refused.Reason
        );
    }

    [Fact]
    public void Decide_InputRouteFallbackAndEscalate_NameTheFallbackAndPriority()
    {
        var withFallback = OverlapGuard.Create(
            Contract().Replace("on_failure: reject", "on_failure: fallback", StringComparison.Ordinal)
                + "  fallback: sender-rules\n",
            _server.Client
        );
        var d = withFallback.Decide(new Dictionary<string, object?>(), 0.99);
        Assert.Equal((GuardOutcome.Fallback, "sender-rules", "fallback"), (d.Outcome, d.Fallback, d.Route));
        Assert.Null(d.Score);

        var escalating = OverlapGuard.Create(
            Contract().Replace("on_failure: reject", "on_failure: escalate", StringComparison.Ordinal)
                + "  escalate: { reason: \"an email the model was not trained for\", priority: high }\n",
            _server.Client
        );
        var e = escalating.Decide(new Dictionary<string, object?> { ["links"] = 99 }, 0.99);
        Assert.Equal(
            (GuardOutcome.Escalate, "high", "an email the model was not trained for"),
            (e.Outcome, e.Priority, e.Reason)
        );
    }

    [Fact]
    public void Decide_GuardThatFails_GoesOpenOrClosedAsTheContractSays()
    {
        // An input the guard cannot read: a dictionary whose lookups throw.
        var broken = new BrokenInputs();
        var open = Guard().Decide(broken, 0.93, "open");
        Assert.Equal((GuardOutcome.Positive, "direct"), (open.Outcome, open.Route));
        Assert.Equal(
            "the guard failed (InvalidOperationException: the inputs cannot be read); the contract's on_guard_error is open",
            open.Reason
        );

        var closed = OverlapGuard
            .Create(
                Contract().Replace("on_guard_error: open", "on_guard_error: closed", StringComparison.Ordinal),
                _server.Client
            )
            .Decide(broken, 0.93, "closed");
        Assert.Equal((GuardOutcome.Abstain, "abstain", 0), (closed.Outcome, closed.Route, closed.Trace.Attempts));
        Assert.Equal(
            "the guard failed (InvalidOperationException: the inputs cannot be read); the contract's on_guard_error is closed",
            closed.Reason
        );
    }

    [Fact]
    public void Decide_ModelThatThrows_IsLoggedWithItsErrorAndRethrown()
    {
        var guard = Guard();
        var ok = Ok();
        var e = Assert.Throws<TimeoutException>(() =>
            guard.Decide(ok, _ => throw new TimeoutException("model down"), "down")
        );
        Assert.Equal("model down", e.Message);
        var logged = _server.Client.Predictions.Single(p => p.Id == "down");
        Assert.Equal(("TimeoutException", null, null), (logged.Error, logged.Score, logged.Workflow));
    }

    private sealed class BrokenInputs : Dictionary<string, object?>, IReadOnlyDictionary<string, object?>
    {
        bool IReadOnlyDictionary<string, object?>.TryGetValue(string key, out object? value) =>
            throw new InvalidOperationException("the inputs cannot be read");
    }
}

using System.Globalization;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Events;

namespace Overlap.Core.Tests.Monitoring;

/// <summary>
/// A window's workflow figures against pandas and statsmodels on the same calls
/// (Fixtures/workflow/make_workflow_fixtures.py → workflow.json): routes, the rates with Wilson intervals, the mean
/// attempts with its t interval, overall and per segment, the failed checks, and the requirements' verdicts.
/// </summary>
public sealed class WorkflowMonitorTests
{
    private static readonly JsonElement Fixture = JsonDocument
        .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "workflow", "workflow.json")))
        .RootElement;

    private const string ContractText = """
        feature: reply-drafter
        task: generative
        columns: { id: id, input: question, output: reply, segments: [channel] }
        checks: [{ name: short, max_length: 500 }]
        words: { output: draft }
        requirements:
          - { metric: fallback_rate, max: 0.05 }
          - { metric: escalation_rate, max: 0.012 }
          - { metric: retry_rate, max: 0.05 }
          - { metric: fallback_rate, by: channel, max: 0.02 }
          - { metric: acceptable_rate, min: 0.9 }
        """;

    private static readonly Contract Contract = ContractParser.Parse(ContractText);

    private static IEnumerable<(WorkflowTrace Trace, string? Channel)> Calls() =>
        Fixture
            .GetProperty("calls")
            .EnumerateArray()
            .Select(c =>
                (
                    new WorkflowTrace
                    {
                        Route = c.GetProperty("route").GetString()!,
                        Attempts = c.GetProperty("attempts").GetInt32(),
                        FailedChecks = [.. c.GetProperty("failed_checks").EnumerateArray().Select(f => f.GetString()!)],
                    },
                    c.GetProperty("channel").GetString()
                )
            );

    private static WorkflowTally Tally(IEnumerable<(WorkflowTrace Trace, string? Channel)> calls)
    {
        var tally = new WorkflowTally();
        foreach (var (trace, channel) in calls)
        {
            tally.Add(trace, [("channel", channel)]);
        }
        return tally;
    }

    private static void AssertFigures(
        JsonElement expected,
        long guarded,
        IReadOnlyDictionary<string, long> routes,
        IReadOnlyDictionary<string, MetricValue> metrics
    )
    {
        Assert.Equal(expected.GetProperty("guarded").GetInt64(), guarded);
        foreach (var route in WorkflowRoutes.All)
        {
            Assert.Equal(expected.GetProperty("routes").GetProperty(route).GetInt64(), routes[route]);
        }
        var names = expected.GetProperty("metrics").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names, WorkflowMonitor.Names);
        foreach (var m in expected.GetProperty("metrics").EnumerateObject())
        {
            var actual = metrics[m.Name];
            Assert.Equal(m.Value.GetProperty("n").GetInt64(), actual.N);
            foreach (
                var (key, value) in new[]
                {
                    ("value", actual.Value),
                    ("ci_low", actual.CiLow),
                    ("ci_high", actual.CiHigh),
                }
            )
            {
                var want = m.Value.GetProperty(key);
                if (want.ValueKind == JsonValueKind.Null)
                {
                    Assert.True(double.IsNaN(value), $"{m.Name}.{key}");
                }
                else
                {
                    Assert.True(
                        Math.Abs(want.GetDouble() - value) < 1e-9,
                        $"{m.Name}.{key}: {want.GetDouble()} vs {value}"
                    );
                }
            }
        }
    }

    [Fact]
    public void Summarize_MatchesStatsmodels_OverallAndPerSegment()
    {
        var report = WorkflowMonitor.Summarize(Contract, Tally(Calls()))!;
        AssertFigures(Fixture.GetProperty("overall"), report.Guarded, report.Routes, report.Metrics);
        var segments = Fixture.GetProperty("segments").EnumerateObject().ToList();
        Assert.Equal(segments.Select(s => s.Name).Order(StringComparer.Ordinal), report.Segments["channel"].Keys);
        foreach (var s in segments)
        {
            var actual = report.Segments["channel"][s.Name];
            AssertFigures(s.Value, actual.Guarded, actual.Routes, actual.Metrics);
        }
    }

    [Fact]
    public void Summarize_FailedChecks_CountCallsAndThoseThatPassedOnARetry()
    {
        var report = WorkflowMonitor.Summarize(Contract, Tally(Calls()))!;
        var expected = Fixture.GetProperty("failed_checks").EnumerateArray().ToList();
        Assert.Equal(
            expected.Select(c => c.GetProperty("check").GetString()),
            report.FailedChecks.Select(c => c.Check)
        );
        foreach (var (want, actual) in expected.Zip(report.FailedChecks))
        {
            Assert.Equal(want.GetProperty("calls").GetInt64(), actual.Calls);
            Assert.Equal(want.GetProperty("passed_after_retry").GetInt64(), actual.PassedAfterRetry);
            var share = want.GetProperty("passed_share");
            Assert.Equal(share.GetProperty("value").GetDouble(), actual.PassedShare.Value, 12);
            Assert.Equal(share.GetProperty("ci_low").GetDouble(), actual.PassedShare.CiLow, 12);
            Assert.Equal(share.GetProperty("ci_high").GetDouble(), actual.PassedShare.CiHigh, 12);
        }
    }

    [Fact]
    public void Summarize_JudgesTheWorkflowRequirements_OnTheInterval()
    {
        var report = WorkflowMonitor.Summarize(Contract, Tally(Calls()))!;
        var expected = Fixture.GetProperty("requirements").EnumerateArray().ToList();
        Assert.Equal(
            expected.Select(r =>
                (
                    r.GetProperty("metric").GetString(),
                    r.GetProperty("by").GetString(),
                    r.GetProperty("verdict").GetString()
                )
            ),
            report.Requirements.Select(r => ((string?)r.Metric, r.By, (string?)r.Verdict.ToString().ToLowerInvariant()))
        );
    }

    [Fact]
    public void Summarize_SaysItInTheContractsWords()
    {
        var report = WorkflowMonitor.Summarize(Contract, Tally(Calls()))!;
        var routes = Fixture.GetProperty("overall").GetProperty("routes");
        string Count(string route) =>
            routes.GetProperty(route).GetInt64().ToString("#,0", CultureInfo.InvariantCulture);
        Assert.Equal(
            $"2,400 drafts went through the contract's workflow: {Count("direct")} passed on the first try, {Count("retry")} passed after a retry, {Count("fallback")} were answered by the fallback, {Count("escalate")} went to a person, {Count("abstain")} were left to a person (uncertain score), {Count("reject")} were refused for their input.",
            report.Statements[0]
        );
        // retry_rate 0.0879 (0.0772 to 0.0999): "1 in 11"; escalation_rate 0.00875: "1 in 114".
        Assert.Contains("1 in 11 drafts needed a second try (7.7% to 10% at 95% confidence).", report.Statements);
        Assert.Contains(report.Statements, s =>
            s.StartsWith("1 in 114 drafts went to a person (", StringComparison.Ordinal)
        );
        Assert.Contains(report.Statements, s =>
            s.StartsWith("The check that failed most was json_format, in ", StringComparison.Ordinal)
        );
        Assert.All(report.Statements, s => Assert.DoesNotContain("NaN", s, StringComparison.Ordinal));
    }

    [Fact]
    public void Summarize_NoGuardedCall_IsNull_AndTheOptionsSayWhyTheRatesHaveNoValue()
    {
        Assert.Null(WorkflowMonitor.Summarize(Contract, new WorkflowTally()));
        var options = WorkflowMonitor.Options(Contract, null, new EvaluationOptions());
        var fallback = options.ProductionMetrics!["fallback_rate"];
        Assert.True(double.IsNaN(fallback.Value));
        Assert.Equal(
            "no draft went through the contract's guard, so fallback rate cannot be measured",
            fallback.Reason
        );
        // A contract with no workflow requirement and no guarded call leaves the options as they were.
        var plain = ContractParser.Parse(ContractText.Split("requirements:")[0]);
        var given = new EvaluationOptions();
        Assert.Same(given, WorkflowMonitor.Options(plain, null, given));
    }

    [Fact]
    public void Tally_MergedFromParts_IsTheWhole()
    {
        var calls = Calls().ToList();
        var whole = WorkflowMonitor.Summarize(Contract, Tally(calls))!;
        var merged = Tally(calls.Take(1000));
        merged.Add(Tally(calls.Skip(1000)));
        var parts = WorkflowMonitor.Summarize(Contract, merged)!;
        Assert.Equal(whole.Metrics, parts.Metrics);
        Assert.Equal(whole.FailedChecks, parts.FailedChecks);
        Assert.Equal(
            whole.Segments["channel"].Select(s => (s.Key, s.Value.Guarded, s.Value.Metrics["retry_rate"])),
            parts.Segments["channel"].Select(s => (s.Key, s.Value.Guarded, s.Value.Metrics["retry_rate"]))
        );
    }

    [Fact]
    public void Offline_WorkflowRequirement_IsSkippedWithItsReason()
    {
        var table = new Overlap.Core.Data.TableBuilder(Evaluator.ReadOptions(Contract, "cases"));
        table.AddRow(["c1", "Where is my order?", "It ships today.", "email"]);
        var report = Evaluator.Evaluate(Contract, table.Build(), new EvaluationOptions { Resamples = 10 });
        var fallback = report.Requirements.First(r => r.Metric == "fallback_rate");
        Assert.Equal(Verdict.Skipped, fallback.Verdict);
        Assert.Equal(
            "counted in production from the workflow the contract's guard logs with each call, not on an offline data set",
            fallback.Reason
        );
    }

    [Fact]
    public void Experiment_OnAWorkflowRate_IsRefusedWithWhatToDo()
    {
        var error = Assert.Throws<ContractException>(() =>
            ContractParser.Parse(
                ContractText
                    + """

                    experiments:
                      - name: v2
                        control: reply@1
                        treatment: reply@2
                        primary: [{ metric: acceptable_rate, min_effect: 0.03 }]
                        guardrails:
                          - { metric: fallback_rate, margin: 0.01 }
                    """
            )
        );
        Assert.Contains(
            "'fallback_rate' is counted from the contract's guard, which experiments do not compare between arms yet",
            error.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Merge_OfWindowReports_IsTheWholeOverall()
    {
        var calls = Calls().ToList();
        var whole = WorkflowMonitor.Summarize(Contract, Tally(calls))!;
        var first = WorkflowMonitor.Summarize(Contract, Tally(calls.Take(700)));
        var second = WorkflowMonitor.Summarize(Contract, Tally(calls.Skip(700)));
        var merged = WorkflowMonitor.Merge(Contract, [first, null, second])!;
        Assert.Equal(whole.Metrics, merged.Metrics);
        Assert.Equal(whole.Routes, merged.Routes);
        Assert.Equal(whole.FailedChecks, merged.FailedChecks);
        Assert.Empty(merged.Requirements);
        Assert.Null(WorkflowMonitor.Merge(Contract, [null]));
    }
}

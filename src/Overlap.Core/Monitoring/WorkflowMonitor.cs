using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Metrics;
using Overlap.Core.Statements;
using Overlap.Core.Usage;
using Overlap.Events;

namespace Overlap.Core.Monitoring;

/// <summary>
/// Turns a window's <see cref="WorkflowTally"/> into its <see cref="WorkflowReport"/>: each workflow metric the catalog
/// declares (<see cref="MetricInfo.OnWorkflow"/>) overall and per segment, the failed checks, the contract's
/// requirements on them judged as every requirement is judged (on the interval), and statements.
/// </summary>
public static class WorkflowMonitor
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly MetricInfo[] Declared = [.. MetricCatalog.All.Where(m => m.OnWorkflow)];

    /// <summary>The workflow metrics' names, in report order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Declared.Select(m => m.Name)];

    /// <summary>Whether the contract has a requirement on a workflow metric.</summary>
    public static bool Required(Contract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract.Requirements.Any(r => MetricCatalog.Find(r.Metric)?.OnWorkflow == true);
    }

    /// <summary>
    /// <paramref name="options"/> with the window's workflow metrics as production metrics (and per segment), so the
    /// window's evaluation judges requirements on them with the rest; when no call was guarded but the contract requires
    /// a workflow metric, the metrics are there without a value, saying why. Unchanged otherwise.
    /// </summary>
    public static EvaluationOptions Options(Contract contract, WorkflowReport? report, EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(options);
        if (report is null && !Required(contract))
        {
            return options;
        }
        return options with
        {
            ProductionMetrics = ProductionMetrics.With(
                options.ProductionMetrics,
                report?.Metrics ?? Metrics(new WorkflowCounts(), contract.Confidence, contract.Words)
            ),
            ProductionSegments = report is null ? options.ProductionSegments : SegmentResults(report.Segments),
        };
    }

    /// <summary>
    /// The workflow metrics of one group of calls: each rate its share with the Wilson interval at
    /// <paramref name="confidence"/>, as statsmodels' <c>proportion_confint(method="wilson")</c>; the attempts' mean with
    /// its t interval. With no guarded call (or, for <c>passed_after_retry_rate</c>, no answered one) a metric has no
    /// value and says why in <paramref name="words"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, MetricValue> Metrics(
        WorkflowCounts counts,
        double confidence,
        ContractWords words
    )
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(words);
        var metrics = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        foreach (var m in Declared)
        {
            MetricValue value;
            if (m.WorkflowShare is { } share)
            {
                var (successes, trials) = share(counts);
                var p = MetricIntervals.Proportion(successes, trials, confidence);
                value = new MetricValue(p.Value, p.Interval.Low, p.Interval.High, trials);
            }
            else
            {
                var mean = UsageTally.Mean(counts.Guarded, counts.Attempts, counts.AttemptSquares, confidence, true);
                value = new MetricValue(
                    mean.Value ?? double.NaN,
                    mean.Low ?? double.NaN,
                    mean.High ?? double.NaN,
                    counts.Guarded
                );
            }
            metrics[m.Name] = double.IsNaN(value.Value)
                ? value with
                {
                    Reason = Phrasing.Undefined(m.Name, words),
                }
                : value;
        }
        return metrics;
    }

    /// <summary>The window's workflow report; null when no call of the window went through a guard.</summary>
    public static WorkflowReport? Summarize(Contract contract, WorkflowTally tally)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(tally);
        var overall = tally.Overall;
        if (overall.Guarded == 0)
        {
            return null;
        }
        var words = contract.Words;
        var metrics = Metrics(overall, contract.Confidence, words);
        var segments = tally.Segments.ToDictionary(
            s => s.Key,
            s =>
                (IReadOnlyDictionary<string, WorkflowSegment>)
                    s
                        .Value.OrderBy(v => v.Key, StringComparer.Ordinal)
                        .ToDictionary(
                            v => v.Key,
                            v => new WorkflowSegment
                            {
                                Guarded = v.Value.Guarded,
                                Routes = Routes(v.Value),
                                Metrics = Metrics(v.Value, contract.Confidence, words),
                                Retried = v.Value.Retried,
                                Attempts = v.Value.Attempts,
                                AttemptSquares = v.Value.AttemptSquares,
                            },
                            StringComparer.Ordinal
                        ),
            StringComparer.Ordinal
        );
        var judged = SegmentResults(segments);
        var requirements = contract
            .Requirements.Where(r => MetricCatalog.Find(r.Metric)?.OnWorkflow == true)
            .Select(r => RequirementJudge.Judge(r, contract, metrics, overall.Guarded, judged))
            .ToList();
        var checks = tally
            .Checks.OrderByDescending(c => c.Value.Calls)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c =>
            {
                var p = MetricIntervals.Proportion(c.Value.PassedAfterRetry, c.Value.Calls, contract.Confidence);
                return new FailedCheckCount
                {
                    Check = c.Key,
                    Calls = c.Value.Calls,
                    PassedAfterRetry = c.Value.PassedAfterRetry,
                    PassedShare = new MetricValue(p.Value, p.Interval.Low, p.Interval.High, c.Value.Calls),
                };
            })
            .ToList();
        return new WorkflowReport
        {
            Guarded = overall.Guarded,
            Routes = Routes(overall),
            Retried = overall.Retried,
            Attempts = overall.Attempts,
            AttemptSquares = overall.AttemptSquares,
            Metrics = metrics,
            Segments = segments,
            FailedChecks = checks,
            Requirements = requirements,
            Statements = Statements(contract, overall, metrics, checks, requirements),
        };
    }

    /// <summary>
    /// The windows' workflow reports merged into one over their range: routes, rates and failed checks overall (the
    /// windows' requirements stay with each window); null when no window had a guarded call.
    /// </summary>
    public static WorkflowReport? Merge(Contract contract, IEnumerable<WorkflowReport?> windows) =>
        Merge(contract, windows, judge: false);

    /// <summary>
    /// The windows' workflow reports merged into one over their range, with the contract's requirements on workflow
    /// metrics judged on the merged counts (per segment too, when every window kept its segments' counts): what a range
    /// such as the 30-day summary and its alerts judge. Null when no window had a guarded call.
    /// </summary>
    public static WorkflowReport? Merge(Contract contract, IEnumerable<WorkflowReport?> windows, bool judge)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(windows);
        var tally = new WorkflowTally();
        foreach (var window in windows.OfType<WorkflowReport>())
        {
            tally.Add(window);
        }
        return Summarize(judge ? contract : contract with { Requirements = [] }, tally);
    }

    /// <summary>
    /// The segments of a workflow report as an evaluation's segment results (N the guarded calls), so a <c>by:</c>
    /// requirement on a workflow metric is judged per segment as any other.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, SegmentResult>> SegmentResults(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, WorkflowSegment>> segments
    )
    {
        ArgumentNullException.ThrowIfNull(segments);
        return segments.ToDictionary(
            s => s.Key,
            s =>
                (IReadOnlyDictionary<string, SegmentResult>)
                    s.Value.ToDictionary(
                        v => v.Key,
                        v => new SegmentResult { N = v.Value.Guarded, Metrics = v.Value.Metrics },
                        StringComparer.Ordinal
                    ),
            StringComparer.Ordinal
        );
    }

    private static Dictionary<string, long> Routes(WorkflowCounts counts) =>
        WorkflowRoutes.All.ToDictionary(r => r, counts.Route, StringComparer.Ordinal);

    private static List<string> Statements(
        Contract contract,
        WorkflowCounts counts,
        IReadOnlyDictionary<string, MetricValue> metrics,
        IReadOnlyList<FailedCheckCount> checks,
        IReadOnlyList<RequirementResult> requirements
    )
    {
        var w = contract.Words;
        var noun = MetricCatalog.Guarded(w);
        var parts = new (string Route, string Words)[]
        {
            (WorkflowRoutes.Direct, "passed on the first try"),
            (WorkflowRoutes.Retry, "passed after a retry"),
            (WorkflowRoutes.Fallback, "were answered by the fallback"),
            (WorkflowRoutes.Escalate, "went to a person"),
            (WorkflowRoutes.Abstain, "were left to a person (uncertain score)"),
            (WorkflowRoutes.Reject, "were refused for their input"),
        }
            .Where(p => counts.Route(p.Route) > 0)
            .Select(p => string.Create(Inv, $"{counts.Route(p.Route):#,0} {p.Words}"))
            .ToList();
        var list = new List<string>
        {
            string.Create(
                Inv,
                $"{Phrasing.Count(counts.Guarded, noun)} went through the contract's workflow: {string.Join(", ", parts)}."
            ),
        };
        // The retry rate always, each other rate when some call counts in it, the attempts when some call was retried:
        // "1 in 25 drafts needed a second try (2.9% to 5.1% at 95% confidence)."
        foreach (var m in Declared)
        {
            var v = metrics[m.Name];
            var shown = m.WorkflowShare is { } share
                ? share(counts).Successes > 0 || m.Name == RetryRate
                : counts.Retried > 0;
            if (shown && !double.IsNaN(v.Value))
            {
                list.Add(Phrasing.Result(m.Name, v.Value, v.CiLow, v.CiHigh, contract.Confidence, w));
            }
        }
        if (checks.Count > 0)
        {
            var top = checks[0];
            list.Add(
                string.Create(
                    Inv,
                    $"The check that failed most was {top.Check}, in {Phrasing.Count(top.Calls, noun)}; {top.PassedAfterRetry:#,0} of them then passed on a retry."
                )
            );
        }
        list.AddRange(
            requirements.Where(r => r.Verdict is Verdict.Fail or Verdict.Inconclusive).Select(r => r.Statement)
        );
        return list;
    }

    private const string RetryRate = "retry_rate";
}

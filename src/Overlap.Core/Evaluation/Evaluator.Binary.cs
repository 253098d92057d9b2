using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Fairness;
using Overlap.Core.Metrics;
using Overlap.Core.Statements;

namespace Overlap.Core.Evaluation;

public static partial class Evaluator
{
    /// <summary>The abstain band's trade-off on the sample, with its statement in the contract's words.</summary>
    private static Workflow.AbstainTradeOff AbstainOf(
        Contract contract,
        BinarySample sample,
        double threshold,
        double reviewCost
    )
    {
        var tradeOff = Workflow.AbstainTradeOff.Compute(
            sample.Scores.Span,
            sample.Labels.Span,
            sample.Frequencies.Span,
            threshold,
            contract.Costs.FalsePositive,
            contract.Costs.FalseNegative,
            reviewCost,
            contract.Workflow?.Abstain is { } band ? (band.Low, band.High) : null
        );
        return tradeOff with { Statement = tradeOff.Say(contract.Words, contract.Costs.Currency) };
    }

    private static EvaluationReport EvaluateBinary(
        Contract contract,
        Table table,
        int[] rows,
        EvaluationOptions options
    )
    {
        var sample = BinarySampleOf(contract, table, rows, contract.Columns.Label, options.Frequencies);
        var hasScore = contract.Columns.Score is not null;
        var binary = new BinaryOptions
        {
            Threshold = contract.Threshold,
            Confidence = contract.Confidence,
            Resamples = options.Resamples,
            Seed = options.Seed,
            CostFalsePositive = contract.Costs.FalsePositive,
            CostFalseNegative = contract.Costs.FalseNegative,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
        };
        var bars = ThresholdBars(contract);
        if (bars.Count > 0)
        {
            binary = binary with { Keeps = c => bars.TrueForAll(r => Effect(r, c, contract).Kept) };
        }
        if (contract.OptimizeThreshold && hasScore && sample.Predictions.IsEmpty)
        {
            // The optimum is found on the data first (no bootstrap needed), then everything is judged there; the
            // cheapest threshold that keeps the requirements when one does, so the choice never breaks the contract.
            var probe = BinaryEvaluator.Evaluate(sample, binary with { Resamples = 0 });
            binary = binary with
            {
                Threshold = Math.Min(1, (probe.Thresholds.Kept ?? probe.Thresholds.Optimum).Threshold),
            };
        }
        var result = BinaryEvaluator.Evaluate(sample, binary);
        bool Keep(string metric) => hasScore || MetricCatalog.Find(metric)?.NeedsScore != true;

        var segments = SegmentResults(
            result.Segments.Select(c =>
                (
                    c.Column,
                    c.Values.Select(g =>
                        (
                            g.Value!,
                            new SegmentResult
                            {
                                N = g.N,
                                Metrics = Report(g.Metrics, Keep, contract.Words),
                                Confusion = Counts(g.Confusion),
                            }
                        )
                    )
                )
            )
        );

        var t = result.Thresholds;
        var usesThreshold = sample.Predictions.IsEmpty;
        var cost = hasScore
            ? new CostSummary
            {
                Threshold = binary.Threshold,
                CostPer1000 = t.Current.CostPer1000,
                OptimalThreshold = t.Optimum.Threshold,
                OptimalCostPer1000 = t.Optimum.CostPer1000,
                OptimalEffects =
                    bars.Count == 0 ? null : [.. bars.Select(r => Effect(r, t.Optimum.Confusion, contract))],
                ConstrainedThreshold = t.Kept?.Threshold,
                ConstrainedCostPer1000 = t.Kept?.CostPer1000,
                ConstrainedReason = t.Kept is null ? NoThresholdKeeps : null,
                Currency = contract.Costs.Currency,
                FalsePositiveCost = contract.Costs.FalsePositive,
                FalseNegativeCost = contract.Costs.FalseNegative,
            }
            : null;
        var partial = new EvaluationReport
        {
            Feature = contract.Feature,
            Task = "binary",
            Verdict = Verdict.Pass,
            N = result.N,
            Threshold = usesThreshold ? binary.Threshold : null,
            Confidence = contract.Confidence,
            Metrics = Report(result.Overall.Metrics, Keep, contract.Words),
            Confusion = Counts(result.Overall.Confusion),
            TrivialBaseline = TrivialBinary(contract, Counts(result.Overall.Confusion)),
            Segments = segments,
            Requirements = [],
            Statements = [],
            Cost = cost,
            Abstain =
                hasScore && usesThreshold && contract.Workflow?.ReviewCost is { } reviewCost
                    ? AbstainOf(contract, sample, binary.Threshold, reviewCost)
                    : null,
            ThresholdSweep = hasScore ? t.Sweep : null,
            Calibration = hasScore
                ? new CalibrationSummary
                {
                    Ece = result.Calibration.Ece,
                    Bins = [.. result.Calibration.Bins.Select(Bin)],
                }
                : null,
            Curves = hasScore ? new CurveSet { Roc = t.Roc, PrecisionRecall = t.PrecisionRecall } : null,
        };
        if (contract.Fairness is { } fairness)
        {
            partial = partial with
            {
                Fairness = FairnessAnalysis.Run(
                    contract,
                    sample,
                    FairnessAttributes(fairness, table, rows),
                    binary,
                    hasScore,
                    options.Selections is { } cells && cells.Covers(fairness) ? cells : null
                ),
            };
        }
        if (options.Baseline is { } baselineTable)
        {
            partial = partial with { Comparison = CompareBinary(contract, table, rows, baselineTable, sample, binary) };
        }
        return Finish(contract, partial, BinaryLead(contract, partial, result), options);
    }

    /// <summary>
    /// The labelled rows of a binary <paramref name="table"/> as the evaluation reads them (labels and decisions mapped
    /// through the contract, every segment column); null when no row has a label.
    /// </summary>
    /// <exception cref="DataException">The data does not fit the contract, as <see cref="Evaluate"/> says it.</exception>
    internal static BinarySample? LabelledBinarySample(Contract contract, Table table)
    {
        var rows = EvaluationInputs.LabelledRows(Require(table, contract.Columns.Label, "label"));
        return rows.Length == 0 ? null : BinarySampleOf(contract, table, rows, contract.Columns.Label);
    }

    /// <summary>Labels, scores, decisions and segments of the labelled rows.</summary>
    private static BinarySample BinarySampleOf(
        Contract contract,
        Table table,
        int[] rows,
        string labelColumn,
        IReadOnlyList<int>? frequencies = null
    )
    {
        var source = table.Source;
        var labels = EvaluationInputs.Binary(
            Require(table, labelColumn, "label"),
            rows,
            contract.Labels,
            "label",
            source
        );
        var predictions = contract.Columns.Prediction is { } p
            ? EvaluationInputs.Binary(Require(table, p, "prediction"), rows, contract.Labels, "prediction", source)
            : null;
        double[] scores;
        if (contract.Columns.Score is { } s)
        {
            scores = EvaluationInputs.Numbers(Require(table, s, "score"), rows);
        }
        else
        {
            // No score: the decision stands in for it; score-based metrics are dropped from the report.
            scores = [.. predictions!.Select(d => (double)d)];
        }
        int[]? weights = frequencies is null ? null : [.. rows.Select(r => frequencies[r])];
        return new BinarySample(
            scores,
            labels,
            predictions ?? default,
            Segments(contract, table, rows),
            weights ?? default
        );
    }

    /// <summary>
    /// The fairness of production predictions that have no label yet: each group's selection rate over
    /// <paramref name="selections"/> with its interval, the measures on it judged against the contract's fairness bars,
    /// and the measures that need labels left undefined (saying why). Null when the contract has no fairness section, is
    /// not binary, or the cells count no prediction or other attributes.
    /// </summary>
    public static UnlabelledFairness? FairnessWithoutLabels(
        Contract contract,
        SelectionCells? selections,
        EvaluationOptions? options = null
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (
            contract.Fairness is not { } fairness
            || contract.Task != TaskKind.Binary
            || selections is not { Total: > 0 }
            || !selections.Covers(fairness)
        )
        {
            return null;
        }
        options ??= new EvaluationOptions();
        var none = new BinarySample(Array.Empty<double>(), Array.Empty<byte>());
        var attributes = fairness.Attributes.ToDictionary(
            a => a,
            a => new SegmentColumn(a, Array.Empty<int>(), []),
            StringComparer.Ordinal
        );
        var binary = new BinaryOptions
        {
            Threshold = contract.Threshold,
            Confidence = contract.Confidence,
            Resamples = options.Resamples,
            Seed = options.Seed,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
        };
        var report = FairnessAnalysis.Run(
            contract,
            none,
            attributes,
            binary,
            contract.Columns.Score is not null,
            selections
        );
        var partial = new EvaluationReport
        {
            Feature = contract.Feature,
            Task = "binary",
            Verdict = Verdict.Pass,
            N = 0,
            Confidence = contract.Confidence,
            Metrics = new Dictionary<string, MetricValue>(),
            Segments = new Dictionary<string, IReadOnlyDictionary<string, SegmentResult>>(),
            Requirements = [],
            Statements = [],
            Fairness = report,
        };
        return new UnlabelledFairness(report, [.. FairnessRequirements(contract, partial)]);
    }

    /// <summary>Each sensitive attribute at the evaluated rows, with no group for a missing value (such rows are in no group).</summary>
    private static Dictionary<string, SegmentColumn> FairnessAttributes(
        FairnessPolicy fairness,
        Table table,
        int[] rows
    ) =>
        fairness.Attributes.ToDictionary(
            a => a,
            a =>
                EvaluationInputs.Present(
                    table.Find(a)
                        ?? throw new DataException(
                            $"the data has no column '{a}', which fairness.attributes names; add the column (it need not be a model input) or fix fairness.attributes in the contract"
                        ),
                    rows
                ),
            StringComparer.Ordinal
        );

    private const string NoThresholdKeeps =
        "no threshold keeps every requirement on this data: the bars on rates cannot all be met at one threshold with these examples";

    /// <summary>The overall min/max requirements on a rate the threshold moves (recall, precision, …).</summary>
    private static List<Requirement> ThresholdBars(Contract contract) =>
        [
            .. contract.Requirements.Where(r =>
                r.By is null && r.Bound is Bound.Min or Bound.Max && Confusion.Rates.Contains(r.Metric)
            ),
        ];

    /// <summary>A requirement at the decisions <paramref name="c"/>: its rate and Wilson interval, judged as the contract judges.</summary>
    private static ThresholdEffect Effect(Requirement r, Confusion c, Contract contract)
    {
        var (successes, trials) = c.Rate(r.Metric)!.Value;
        var interval = Statistics.Wilson.Interval(successes, trials, contract.Confidence);
        return new ThresholdEffect
        {
            Metric = r.Metric,
            Bound = ThresholdEffect.BoundName(r.Bound),
            Bar = r.Value,
            Value = trials > 0 ? (double)successes / trials : null,
            Reason = trials > 0 ? null : Phrasing.Undefined(r.Metric, contract.Words),
            Kept = Judge.Interval(r.Bound, r.Value, interval.Low, interval.High) == Verdict.Pass,
        };
    }

    private static string Money(double amount) => Phrasing.Number(Math.Round(amount, Math.Abs(amount) >= 100 ? 0 : 2));

    private static ConfusionCounts Counts(Confusion c) => new(c.Tp, c.Fp, c.Fn, c.Tn);

    private static CalibrationBin Bin(ReliabilityBin b) =>
        new(b.Low, b.High, b.Count, b.MeanScore, b.ObservedRate, b.Interval.Low, b.Interval.High);

    /// <summary>The sentences that open a binary report: what it catches, what it costs, where the optimum is.</summary>
    private static List<string> BinaryLead(Contract contract, EvaluationReport report, BinaryResult result)
    {
        var w = contract.Words;
        var lead = new List<string>();
        var recall = report.Metrics[BinaryMetricNames.Recall];
        var fpr = report.Metrics[BinaryMetricNames.FalsePositiveRate];
        var precision = report.Metrics[BinaryMetricNames.Precision];
        if (!double.IsNaN(recall.Value))
        {
            var caught = Phrasing
                .Result(BinaryMetricNames.Recall, recall.Value, recall.CiLow, recall.CiHigh, contract.Confidence, w)
                .TrimEnd('.');
            if (!double.IsNaN(fpr.Value))
            {
                var mistaken = Phrasing.Result(
                    BinaryMetricNames.FalsePositiveRate,
                    fpr.Value,
                    fpr.CiLow,
                    fpr.CiHigh,
                    contract.Confidence,
                    w
                );
                caught += "; " + char.ToLowerInvariant(mistaken[0]) + mistaken[1..];
            }
            lead.Add(caught.EndsWith('.') ? caught : caught + ".");
        }
        if (!double.IsNaN(precision.Value))
        {
            lead.Add(
                Phrasing.Result(
                    BinaryMetricNames.Precision,
                    precision.Value,
                    precision.CiLow,
                    precision.CiHigh,
                    contract.Confidence,
                    w
                )
            );
        }
        if (report.Cost is { } cost && contract.Costs.Given)
        {
            var per = $"per 1,000 {Phrasing.Plural(w.Example)}";
            var here = string.Create(
                Inv,
                $"At threshold {Phrase(cost.Threshold)}, mistakes cost about {Money(cost.CostPer1000)} {cost.Currency} {per}"
            );
            var broken = cost.OptimalEffects?.Where(e => !e.Kept).ToList() ?? [];
            if (cost.OptimalCostPer1000 < cost.CostPer1000 - 1e-9)
            {
                var saving = 1 - (cost.OptimalCostPer1000 / cost.CostPer1000);
                var optimum = string.Create(
                    Inv,
                    $"{here}; threshold {Phrase(cost.OptimalThreshold)} would cost {Money(cost.OptimalCostPer1000)} {cost.Currency} ({Phrasing.Percent(saving)} less) on this data"
                );
                lead.Add(
                    broken.Count == 0
                        ? optimum + "."
                        : $"{optimum}, but {string.Join(" and ", broken.Select(e => e.Said()))}, so it would break the contract."
                );
            }
            else
            {
                lead.Add(here + ", the lowest any threshold reaches on this data.");
            }
            if (cost.ConstrainedThreshold is { } kept && broken.Count > 0)
            {
                lead.Add(
                    Math.Abs(kept - cost.Threshold) < 1e-12
                        ? "The contract's own threshold is the cheapest that keeps every requirement."
                        : string.Create(
                            Inv,
                            $"The cheapest threshold that keeps every requirement is {Phrase(kept)}, at about {Money(cost.ConstrainedCostPer1000!.Value)} {cost.Currency} {per}."
                        )
                );
            }
            else if (cost.ConstrainedReason is { } why)
            {
                lead.Add(Phrasing.Capitalize(why) + ".");
            }
        }
        if (result.Overall.N > 0 && report.Calibration is { } cal && !double.IsNaN(cal.Ece))
        {
            lead.Add(
                cal.Ece <= 0.02
                    ? string.Create(
                        Inv,
                        $"Scores are well calibrated: a score of 0.3 means about a 30% chance (calibration error {Phrase(cal.Ece)})."
                    )
                    : string.Create(
                        Inv,
                        $"Scores are off from the observed rates by {Phrasing.Percent(cal.Ece)} on average (calibration error); read a score as a ranking, not a probability."
                    )
            );
        }
        return lead;
    }
}

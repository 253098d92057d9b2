using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Metrics;
using Overlap.Core.Statements;

namespace Overlap.Core.Evaluation;

public static partial class Evaluator
{
    private static EvaluationReport EvaluateMulticlass(
        Contract contract,
        Table table,
        int[] rows,
        EvaluationOptions options
    )
    {
        var label = Require(table, contract.Columns.Label, "label");
        var prediction = Require(table, contract.Columns.Prediction!, "prediction");
        var classes = EvaluationInputs.ClassList(contract.Labels, rows, label, prediction);
        var sample = new MulticlassSample(
            EvaluationInputs.Classes(label, rows, classes, "label", table.Source, contract.Labels),
            EvaluationInputs.Classes(prediction, rows, classes, "prediction", table.Source, contract.Labels),
            classes,
            Segments(contract, table, rows)
        );
        var result = MulticlassEvaluator.Evaluate(
            sample,
            new MulticlassOptions
            {
                Confidence = contract.Confidence,
                Resamples = options.Resamples,
                Seed = options.Seed,
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            }
        );
        var segments = SegmentResults(
            result.Segments.Select(c =>
                (
                    c.Column,
                    c.Values.Select(g =>
                        (
                            g.Value!,
                            new SegmentResult { N = g.N, Metrics = Report(g.Metrics, _ => true, contract.Words) }
                        )
                    )
                )
            )
        );
        var perClass = new Dictionary<string, IReadOnlyDictionary<string, MetricValue>>(StringComparer.Ordinal);
        foreach (var c in result.Overall.Classes)
        {
            perClass[c.Class] = Report(c.Metrics, _ => true, contract.Words);
        }
        var partial = new EvaluationReport
        {
            Feature = contract.Feature,
            Task = "multiclass",
            Verdict = Verdict.Pass,
            N = result.N,
            Confidence = contract.Confidence,
            Metrics = Report(result.Overall.Metrics, _ => true, contract.Words),
            ConfusionMatrix = [.. result.Overall.Confusion.ToRows()],
            Classes = classes,
            PerClass = perClass,
            TrivialBaseline = TrivialMulticlass(contract, result.Overall.Confusion, classes),
            Segments = segments,
            Requirements = [],
            Statements = [],
        };
        if (options.Baseline is { } baselineTable)
        {
            partial = partial with { Comparison = CompareMulticlass(contract, table, rows, baselineTable, sample) };
        }
        return Finish(contract, partial, MulticlassLead(contract, partial, result), options);
    }

    private static List<string> MulticlassLead(Contract contract, EvaluationReport report, MulticlassResult result)
    {
        var w = contract.Words;
        var lead = new List<string>();
        var accuracy = report.Metrics[MulticlassMetricNames.Accuracy];
        lead.Add(
            Phrasing.Result(
                MulticlassMetricNames.Accuracy,
                accuracy.Value,
                accuracy.CiLow,
                accuracy.CiHigh,
                contract.Confidence,
                w
            )
        );
        var weakest = result
            .Overall.Classes.Where(c => c.Support > 0 && !double.IsNaN(c[MulticlassMetricNames.Recall].Value))
            .OrderBy(c => c[MulticlassMetricNames.Recall].Value)
            .FirstOrDefault();
        if (weakest is not null)
        {
            var r = weakest[MulticlassMetricNames.Recall];
            var ci =
                $" ({Phrasing.Range(MulticlassMetricNames.Recall, r.Interval.Low, r.Interval.High)} at {Phrasing.Confidence(contract.Confidence)} confidence)";
            lead.Add(
                $"Hardest class: '{weakest.Class}', where {Phrasing.Frequency(r.Value)} '{weakest.Class}' {Phrasing.Plural(w.Example)} get the right answer{ci}."
            );
        }
        var confused = MostConfused(result.Overall.Confusion, result.Classes);
        if (confused is { } pair)
        {
            lead.Add(
                $"The most common mistake: '{pair.Actual}' taken for '{pair.Predicted}' ({Phrasing.Count(pair.Count, w.Example)})."
            );
        }
        return lead;
    }

    private static (string Actual, string Predicted, long Count)? MostConfused(
        ConfusionMatrix matrix,
        IReadOnlyList<string> classes
    )
    {
        (string, string, long)? best = null;
        for (var a = 0; a < matrix.ClassCount; a++)
        {
            for (var p = 0; p < matrix.ClassCount; p++)
            {
                if (a != p && matrix[a, p] > 0 && (best is null || matrix[a, p] > best.Value.Item3))
                {
                    best = (classes[a], classes[p], matrix[a, p]);
                }
            }
        }
        return best;
    }

    private static EvaluationReport EvaluateRegression(
        Contract contract,
        Table table,
        int[] rows,
        EvaluationOptions options
    )
    {
        var target = Require(table, contract.Columns.Label, "label");
        var prediction = Require(table, contract.Columns.Prediction!, "prediction");
        var predictions = EvaluationInputs.Numbers(prediction, rows);
        for (var i = 0; i < predictions.Length; i++)
        {
            if (double.IsNaN(predictions[i]))
            {
                throw new DataException(
                    $"{table.Source}: data row {rows[i] + 1} has a label but no prediction (column '{prediction.Name}'); every labelled example needs one"
                );
            }
        }
        var sample = new RegressionSample(
            EvaluationInputs.Numbers(target, rows),
            predictions,
            Segments(contract, table, rows)
        );
        var result = RegressionEvaluator.Evaluate(
            sample,
            new RegressionOptions
            {
                Confidence = contract.Confidence,
                Resamples = options.Resamples,
                Seed = options.Seed,
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            }
        );
        var segments = SegmentResults(
            result.Segments.Select(c =>
                (
                    c.Column,
                    c.Values.Select(g =>
                        (
                            g.Value!,
                            new SegmentResult { N = g.N, Metrics = Report(g.Metrics, _ => true, contract.Words) }
                        )
                    )
                )
            )
        );
        var partial = new EvaluationReport
        {
            Feature = contract.Feature,
            Task = "regression",
            Verdict = Verdict.Pass,
            N = result.N,
            Confidence = contract.Confidence,
            Metrics = Report(result.Overall.Metrics, _ => true, contract.Words),
            Segments = segments,
            Requirements = [],
            Statements = [],
            TrivialBaseline = TrivialRegression(contract, sample.Targets.Span, sample.Predictions.Span),
        };
        if (options.Baseline is { } baselineTable)
        {
            partial = partial with
            {
                Comparison = CompareRegression(contract, table, rows, baselineTable, sample, options),
            };
        }
        var m = partial.Metrics;
        var pct = Phrasing.Confidence(contract.Confidence);
        var lead = new List<string>
        {
            $"Estimates are off by {Round(m[RegressionMetricNames.Mae].Value)} on average"
                + (
                    double.IsNaN(m[RegressionMetricNames.Mae].CiLow)
                        ? string.Empty
                        : $" ({Round(m[RegressionMetricNames.Mae].CiLow)} to {Round(m[RegressionMetricNames.Mae].CiHigh)} at {pct} confidence)"
                )
                + $"; half of them are within {Round(m[RegressionMetricNames.MedianAe].Value)}.",
            double.IsNaN(m[RegressionMetricNames.R2].Value)
                ? $"How much of the variation the model explains is not known: {Phrasing.Undefined(RegressionMetricNames.R2, contract.Words)}."
                : $"The model explains {Phrasing.Percent(Math.Max(0, m[RegressionMetricNames.R2].Value))} of the variation in the outcome (R² {Round(m[RegressionMetricNames.R2].Value)}).",
        };
        return Finish(contract, partial, lead, options);
    }

    /// <summary>A figure to three significant digits, for sentences.</summary>
    private static string Round(double value) =>
        double.IsFinite(value) && value != 0
            ? Phrasing.Number(Math.Round(value, Math.Max(0, 2 - (int)Math.Floor(Math.Log10(Math.Abs(value))))))
            : Phrasing.Number(value);
}

using Overlap.Core.Contracts;
using Overlap.Core.Metrics;
using Overlap.Core.Statements;
using Overlap.Core.Statistics;

namespace Overlap.Core.Evaluation;

public static partial class Evaluator
{
    /// <summary>
    /// A binary model against the most common class on the same examples: on cost per 1,000 when the contract gives
    /// costs, else on accuracy. The per-example differences follow from the confusion counts alone.
    /// </summary>
    private static TrivialBaseline TrivialBinary(Contract contract, ConfusionCounts c)
    {
        var w = contract.Words;
        double n = c.Tp + c.Fp + c.Fn + c.Tn;
        var negatives = c.Fp + c.Tn >= c.Tp + c.Fn;
        var rule = negatives
            ? $"taking every {w.Example} as a {w.Negative}"
            : $"taking every {w.Example} as a {w.Positive}";
        if (contract.Costs.Given)
        {
            double fp = contract.Costs.FalsePositive,
                fn = contract.Costs.FalseNegative;
            // Model cost minus the rule's cost, per example, by cell: TP, FP, FN, TN.
            (double, double)[] cells = negatives
                ? [(-fn, c.Tp), (fp, c.Fp), (0, c.Fn), (0, c.Tn)]
                : [(0, c.Tp), (0, c.Fp), (fn, c.Fn), (-fp, c.Tn)];
            var baseline = 1000 * (negatives ? fn * (c.Tp + c.Fn) : fp * (c.Fp + c.Tn)) / n;
            var model = 1000 * ((fp * c.Fp) + (fn * c.Fn)) / n;
            return Trivial(contract, rule, "cost_per_1000", baseline, model, cells, 1000);
        }
        (double, double)[] right = negatives
            ? [(1, c.Tp), (-1, c.Fp), (0, c.Fn), (0, c.Tn)]
            : [(0, c.Tp), (0, c.Fp), (-1, c.Fn), (1, c.Tn)];
        return Trivial(
            contract,
            rule,
            BinaryMetricNames.Accuracy,
            Math.Max(c.Tp + c.Fn, c.Fp + c.Tn) / n,
            (c.Tp + c.Tn) / n,
            right,
            1
        );
    }

    /// <summary>A multiclass model's accuracy against always answering the most common class.</summary>
    private static TrivialBaseline TrivialMulticlass(
        Contract contract,
        ConfusionMatrix matrix,
        IReadOnlyList<string> classes
    )
    {
        var k = matrix.ClassCount;
        var majority = Enumerable.Range(0, k).MaxBy(matrix.Actual);
        var cells = new List<(double, double)>(k * k);
        for (var a = 0; a < k; a++)
        {
            for (var p = 0; p < k; p++)
            {
                cells.Add(((a == p ? 1 : 0) - (a == majority ? 1 : 0), matrix[a, p]));
            }
        }
        double n = matrix.Total;
        return Trivial(
            contract,
            $"always answering '{classes[majority]}', the most common class",
            MulticlassMetricNames.Accuracy,
            matrix.Actual(majority) / n,
            matrix.Correct / n,
            cells,
            1
        );
    }

    /// <summary>A regression model's mean absolute error against always answering the mean of the labels.</summary>
    private static TrivialBaseline TrivialRegression(
        Contract contract,
        ReadOnlySpan<double> targets,
        ReadOnlySpan<double> predictions
    )
    {
        var mean = 0.0;
        foreach (var t in targets)
        {
            mean += t;
        }
        mean /= targets.Length;
        var differences = new (double, double)[targets.Length];
        double model = 0,
            baseline = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            var (mine, rule) = (Math.Abs(targets[i] - predictions[i]), Math.Abs(targets[i] - mean));
            differences[i] = (mine - rule, 1);
            model += mine;
            baseline += rule;
        }
        return Trivial(
            contract,
            $"always answering {Phrasing.Number(mean)}, the mean of the labels",
            RegressionMetricNames.Mae,
            baseline / targets.Length,
            model / targets.Length,
            differences,
            1
        );
    }

    private static TrivialBaseline Trivial(
        Contract contract,
        string rule,
        string metric,
        double baseline,
        double model,
        IEnumerable<(double Value, double Count)> differences,
        double scale
    )
    {
        var (_, interval) = MeanInterval.Of(differences, contract.Confidence);
        var (low, high) = (interval.Low * scale, interval.High * scale);
        var higherIsBetter = MetricCatalog.Find(metric)?.HigherIsBetter != false;
        var beats = interval.IsKnown && (higherIsBetter ? low > 0 : high < 0);
        var worse = interval.IsKnown && (higherIsBetter ? high < 0 : low > 0);
        var difference = model - baseline;
        var info = MetricCatalog.Find(metric);
        var proportion = info?.IsProportion == true;
        string Figure(double v) => proportion ? Phrasing.Percent(v) : Phrasing.Number(v);
        // A difference in words: "11.5 points lower" for a share, "72 higher" for a cost or an error.
        string Amount(double v) =>
            proportion ? Phrasing.Number(Math.Round(Math.Abs(v) * 100, 1)) + " points" : Phrasing.Number(Math.Abs(v));
        static string Side(double v) => v >= 0 ? "higher" : "lower";
        var level = Phrasing.Confidence(contract.Confidence);
        var range =
            !interval.IsKnown ? string.Empty
            : Math.Sign(low) == Math.Sign(high) || low == 0 || high == 0
                ? $" ({Amount(low)} to {Amount(high)} {Side(low + high)} at {level} confidence)"
            : $" (from {Amount(low)} {Side(low)} to {Amount(high)} {Side(high)} at {level} confidence)";
        var what =
            metric == "cost_per_1000"
                ? $"mistakes cost {Figure(model)} {contract.Costs.Currency} per 1,000 {Phrasing.Plural(contract.Words.Example)} against {Figure(baseline)}"
                : $"{Phrasing.Name(metric)} {Figure(model)} against {Figure(baseline)}";
        var figures = $"{what} for the simple rule, {Amount(difference)} {Side(difference)}{range}";
        var statement =
            beats ? $"The model beats {rule}: {figures}."
            : worse
                ? $"The model does not beat {rule}: {figures}; on these {Phrasing.Plural(contract.Words.Example)} the simple rule does better."
            : interval.IsKnown
                ? $"The model does not beat {rule}: {figures}; the difference is within noise, so it is not shown to do better than the simple rule."
            : $"The model does not beat {rule}: {figures}; too few {Phrasing.Plural(contract.Words.Example)} to tell them apart.";
        return new TrivialBaseline
        {
            Rule = rule,
            Metric = metric,
            Baseline = baseline,
            Model = model,
            Difference = difference,
            CiLow = interval.IsKnown ? low : null,
            CiHigh = interval.IsKnown ? high : null,
            Beats = beats,
            Statement = statement,
        };
    }
}

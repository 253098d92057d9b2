using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Provenance;
using Overlap.Core.Reports;
using Overlap.Core.Statements;
using Overlap.Core.Statistics;

namespace Overlap.Core.Evaluation;

/// <summary>
/// Compares two evaluation reports as independent samples: the runs were on different examples (a new evaluation set,
/// or this month's labels against last month's), so nothing pairs their rows. A rate's difference gets Newcombe's
/// interval from the counts the report implies (value × n) and a pooled two-proportion z-test; any other metric gets
/// MOVER from the two runs' percentile bootstrap intervals, an approximation marked as such, since a report does not
/// carry its resamples. A difference is real when its interval excludes zero. When the same examples were scored by both
/// models, <c>overlap eval --baseline</c> gives the paired comparison, which is sharper; a run carrying one keeps it, and
/// when that comparison's baseline is the other run (its figures, on as many examples) the runs share their examples and
/// the overall metrics it measured take its paired difference, so the page never says two things about one metric.
/// </summary>
public static class RunComparer
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Compares run <paramref name="b"/> with run <paramref name="a"/>: every difference is B − A.</summary>
    public static RunComparison Compare(EvaluationReport a, string nameA, EvaluationReport b, string nameB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var confidence = Math.Max(a.Confidence, b.Confidence);
        var sides = new Sides(nameA, nameB, confidence, a.Confidence, b.Confidence);
        var paired = PairedOf(a, b);
        var metrics = CompareMetrics(a.Metrics, b.Metrics, sides)
            .Select(m =>
                paired?.Differences.FirstOrDefault(d => d.Metric == m.Metric) is { } d && m.Difference is not null
                    ? Paired(m, d, paired.Reversed, sides)
                    : m
            )
            .ToList();
        var segments = new List<SegmentComparison>();
        foreach (
            var column in a.Segments.Keys.Union(b.Segments.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
        )
        {
            var valuesA = a.Segments.GetValueOrDefault(column);
            var valuesB = b.Segments.GetValueOrDefault(column);
            var values = (valuesA?.Keys ?? [])
                .Union(valuesB?.Keys ?? [], StringComparer.Ordinal)
                .Order(StringComparer.Ordinal);
            foreach (var value in values)
            {
                var sa = valuesA?.GetValueOrDefault(value);
                var sb = valuesB?.GetValueOrDefault(value);
                var compared =
                    sa is not null && sb is not null
                        ? CompareMetrics(sa.Metrics, sb.Metrics, sides with { Segment = $"{column} = {value}" })
                        : [];
                segments.Add(new SegmentComparison(column, value, sa?.N, sb?.N, compared));
            }
        }
        return new RunComparison
        {
            A = new RunSide(nameA, a.N, a.Verdict, a.Confidence),
            B = new RunSide(nameB, b.N, b.Verdict, b.Confidence),
            Confidence = confidence,
            Metrics = metrics,
            Requirements = CompareRequirements(a.Requirements, b.Requirements),
            Segments = segments,
            PairedA = a.Comparison,
            PairedB = b.Comparison,
            SameExamples = paired is not null,
            Statements = Statements(a, b, metrics, sides, paired),
        };
    }

    /// <summary>A run's paired comparison whose baseline is the other run; Reversed when it is A's, with B as its baseline (then B − A is −difference).</summary>
    private sealed record PairedRuns(
        IReadOnlyList<MetricDifference> Differences,
        long N,
        string Carrier,
        bool Reversed
    );

    /// <summary>
    /// The paired comparison that shows both runs are on the same examples: B's, whose baseline has A's figures on A's
    /// number of examples (and its candidate B's), or A's with B as its baseline; null when neither shows it.
    /// </summary>
    private static PairedRuns? PairedOf(EvaluationReport a, EvaluationReport b)
    {
        if (b.Comparison is { } ofB && Matches(ofB, baseline: a, candidate: b))
        {
            return new PairedRuns(ofB.Differences, ofB.N, "B", Reversed: false);
        }
        return a.Comparison is { } ofA && Matches(ofA, baseline: b, candidate: a)
            ? new PairedRuns(ofA.Differences, ofA.N, "A", Reversed: true)
            : null;
    }

    /// <summary>True when every figure the comparison gives for both models is the two runs' own, on as many examples.</summary>
    private static bool Matches(ComparisonReport comparison, EvaluationReport baseline, EvaluationReport candidate)
    {
        var figures = comparison
            .Differences.Where(d => double.IsFinite(d.Baseline) && double.IsFinite(d.Candidate))
            .ToList();
        return comparison.N == baseline.N
            && comparison.N == candidate.N
            && figures.Count > 0
            && figures.All(d =>
                Same(baseline.Metrics.GetValueOrDefault(d.Metric), d.Baseline)
                && Same(candidate.Metrics.GetValueOrDefault(d.Metric), d.Candidate)
            );
    }

    private static bool Same(MetricValue? figure, double value) =>
        figure is not null && Math.Abs(figure.Value - value) < 1e-9;

    /// <summary>A metric of runs on the same examples, with the paired difference a run's <c>--baseline</c> comparison measured.</summary>
    /// <summary>The data file both runs read, by its SHA-256 in their provenance; null when either does not say or they differ.</summary>
    private static DataFileProvenance? SameFile(EvaluationReport a, EvaluationReport b)
    {
        var fileA = a.Provenance?.Data.FirstOrDefault(d => d.Role == "data");
        var fileB = b.Provenance?.Data.FirstOrDefault(d => d.Role == "data");
        return
            fileA is not null
            && fileB is not null
            && fileA.Sha256.Length >= 12
            && string.Equals(fileA.Sha256, fileB.Sha256, StringComparison.OrdinalIgnoreCase)
            ? fileA
            : null;
    }

    private static MetricComparison Paired(MetricComparison independent, MetricDifference d, bool reversed, Sides sides)
    {
        var difference = independent.Difference!.Value;
        var interval =
            d.CiLow is { } l && d.CiHigh is { } h
                ? (reversed ? new Interval(-h, -l) : new Interval(l, h))
                : Interval.Unknown;
        var direction = Evaluator.Direction(d.Significant, difference, d.Metric);
        var test =
            d.PValue is { } p && interval.IsKnown is false
                ? $"; {d.Method.Replace('_', ' ')} {Phrasing.PValue(p)}"
                : string.Empty;
        return independent with
        {
            CiLow = interval.IsKnown ? interval.Low : null,
            CiHigh = interval.IsKnown ? interval.High : null,
            PValue = d.PValue,
            Method = d.Method,
            Approximate = false,
            Significant = d.Significant,
            Direction = direction,
            Statement = Statement(
                d.Metric,
                string.Empty,
                difference,
                interval,
                d.Significant,
                direction,
                approximate: false,
                sides,
                $" (paired: the same examples scored by both models{test})"
            ),
        };
    }

    /// <summary>The names of the runs, the comparison's confidence and each run's own, and the segment being compared.</summary>
    private sealed record Sides(
        string A,
        string B,
        double Confidence,
        double ConfidenceA,
        double ConfidenceB,
        string? Segment = null
    );

    private static List<MetricComparison> CompareMetrics(
        IReadOnlyDictionary<string, MetricValue> a,
        IReadOnlyDictionary<string, MetricValue> b,
        Sides sides
    ) =>
        [
            .. a
                .Keys.Union(b.Keys, StringComparer.Ordinal)
                .OrderBy(m => Order(a, b, m))
                .Select(m => CompareMetric(m, a.GetValueOrDefault(m), b.GetValueOrDefault(m), sides)),
        ];

    /// <summary>The reports' own metric order (A's first, then what only B has).</summary>
    private static int Order(
        IReadOnlyDictionary<string, MetricValue> a,
        IReadOnlyDictionary<string, MetricValue> b,
        string metric
    )
    {
        var i = a.Keys.ToList().IndexOf(metric);
        return i >= 0 ? i : a.Count + b.Keys.ToList().IndexOf(metric);
    }

    /// <summary>One metric of two runs: Newcombe for a rate whose counts the report implies, else MOVER on the bootstrap intervals.</summary>
    public static MetricComparison CompareMetric(
        string metric,
        MetricValue? a,
        MetricValue? b,
        double confidence,
        string nameA = "A",
        string nameB = "B"
    ) => CompareMetric(metric, a, b, new Sides(nameA, nameB, confidence, confidence, confidence));

    private static MetricComparison CompareMetric(string metric, MetricValue? a, MetricValue? b, Sides sides)
    {
        var where = sides.Segment is null ? string.Empty : $" for {sides.Segment}";
        if (a is null || b is null || double.IsNaN(a.Value) || double.IsNaN(b.Value))
        {
            var missing = a is null || double.IsNaN(a.Value) ? sides.A : sides.B;
            return new MetricComparison
            {
                Metric = metric,
                A = a,
                B = b,
                Method = "none",
                Approximate = false,
                Significant = false,
                Direction = "not_comparable",
                Statement =
                    $"{Phrasing.Capitalize(Phrasing.Name(metric))}{where} cannot be compared: {missing} has no figure for it.",
            };
        }
        var info = MetricCatalog.Find(metric);
        Interval interval;
        double? p = null;
        string method;
        if (info?.IsProportion == true && Count(a) is { } xa && Count(b) is { } xb)
        {
            interval = Mover.Difference(
                a.Value,
                Wilson.Interval(xa, a.N, sides.Confidence),
                b.Value,
                Wilson.Interval(xb, b.N, sides.Confidence)
            );
            var pValue = TwoProportionTest.PValue(xb, b.N, xa, a.N);
            p = double.IsNaN(pValue) ? null : pValue;
            method = "newcombe";
        }
        else
        {
            interval = Mover.Difference(
                a.Value,
                Rescaled(a, sides.ConfidenceA, sides.Confidence),
                b.Value,
                Rescaled(b, sides.ConfidenceB, sides.Confidence)
            );
            method = "mover_bootstrap";
        }
        var difference = b.Value - a.Value;
        var real = interval.IsKnown && (interval.Low > 0 || interval.High < 0);
        var direction = Evaluator.Direction(real, difference, metric);
        return new MetricComparison
        {
            Metric = metric,
            A = a,
            B = b,
            Difference = difference,
            CiLow = interval.IsKnown ? interval.Low : null,
            CiHigh = interval.IsKnown ? interval.High : null,
            PValue = p,
            Method = method,
            Approximate = method != "newcombe",
            Significant = real,
            Direction = direction,
            Statement = Statement(metric, where, difference, interval, real, direction, method != "newcombe", sides),
        };
    }

    /// <summary>The successes behind a rate (value × n), when they are a whole number: a report written from counts.</summary>
    private static long? Count(MetricValue m)
    {
        if (m.N <= 0)
        {
            return null;
        }
        var x = Math.Round(m.Value * m.N);
        return Math.Abs((x / m.N) - m.Value) < 1e-9 ? (long)x : null;
    }

    /// <summary>A run's interval moved to the comparison's confidence (normal scaling of each side's distance from the figure).</summary>
    private static Interval Rescaled(MetricValue m, double from, double to)
    {
        var scale = from == to ? 1 : Wilson.Z(to) / Wilson.Z(from);
        return new Interval(m.Value - ((m.Value - m.CiLow) * scale), m.Value + ((m.CiHigh - m.Value) * scale));
    }

    private static string Statement(
        string metric,
        string where,
        double difference,
        Interval interval,
        bool real,
        string direction,
        bool approximate,
        Sides sides,
        string paired = ""
    )
    {
        var name = $"{sides.B}'s {Phrasing.Name(metric)}{where}";
        string change;
        if (difference == 0)
        {
            change = $"{name} is the same as {sides.A}'s";
        }
        else
        {
            // A fall is said as "lower by 0.04 (0.01 to 0.07)": the interval of the drop, in the same direction as the words.
            var (low, high) = difference > 0 ? (interval.Low, interval.High) : (-interval.High, -interval.Low);
            change = string.Create(
                Inv,
                $"{name} is {(difference > 0 ? "higher" : "lower")} than {sides.A}'s by {Figure(Math.Abs(difference))}"
            );
            if (interval.IsKnown)
            {
                change += string.Create(Inv, $" ({Figure(low)} to {Figure(high)})");
            }
        }
        var verdict =
            !interval.IsKnown && paired.Length == 0 ? "no interval to judge it by (the reports carry none)"
            : real
                ? $"a real difference{(direction == "better" ? ", for the better" : direction == "worse" ? ", for the worse" : "")}"
            : "not distinguishable from noise with these examples";
        var note = approximate && interval.IsKnown ? " (approximate: from the two runs' bootstrap intervals)" : paired;
        return $"{change}: {verdict}{note}.";
    }

    /// <summary>A difference for prose: three decimals, more when it is smaller than that.</summary>
    private static string Figure(double value) =>
        value != 0 && Math.Abs(value) < 0.001 ? value.ToString("0.#####", Inv) : value.ToString("0.000", Inv);

    private static List<RequirementComparison> CompareRequirements(
        IReadOnlyList<RequirementResult> a,
        IReadOnlyList<RequirementResult> b
    )
    {
        var byBar = b.GroupBy(VerdictText.Bar, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var rows = new List<RequirementComparison>();
        foreach (var r in a)
        {
            var bar = VerdictText.Bar(r);
            var other = byBar.GetValueOrDefault(bar);
            byBar.Remove(bar);
            rows.Add(new RequirementComparison(bar, r, other, other is null || other.Verdict != r.Verdict));
        }
        rows.AddRange(
            b.Where(r => byBar.ContainsKey(VerdictText.Bar(r)))
                .Select(r => new RequirementComparison(VerdictText.Bar(r), null, r, true))
        );
        return rows;
    }

    private static List<string> Statements(
        EvaluationReport a,
        EvaluationReport b,
        List<MetricComparison> metrics,
        Sides sides,
        PairedRuns? paired
    )
    {
        var statements = new List<string>
        {
            $"{sides.A}, on {a.N.ToString("#,0", Inv)} examples: {VerdictWords(a.Verdict)}. {sides.B}, on {b.N.ToString("#,0", Inv)} examples: {VerdictWords(b.Verdict)}.",
        };
        if (paired is not null)
        {
            var carrier = paired.Carrier == "B" ? sides.B : sides.A;
            var other = paired.Carrier == "B" ? sides.A : sides.B;
            statements.Add(
                string.Create(
                    Inv,
                    $"Both runs are on the same {paired.N:#,0} examples: {carrier} was evaluated with {other} as its baseline, so the metrics that comparison measured are compared paired, which is sharper than comparing independent samples."
                )
            );
        }
        var better = metrics.Where(m => m.Direction == "better").Select(m => Phrasing.Name(m.Metric)).ToList();
        var worse = metrics.Where(m => m.Direction == "worse").Select(m => Phrasing.Name(m.Metric)).ToList();
        // A metric with no good direction (positive rate) that really moved is said as higher or lower, never left out.
        var moved = metrics
            .Where(m => m.Direction is "higher" or "lower")
            .Select(m => $"{Phrasing.Name(m.Metric)} is really {m.Direction}")
            .ToList();
        var changed =
            moved.Count == 0
                ? string.Empty
                : $" ({string.Join(", ", moved)}, which is neither better nor worse in itself)";
        var confidence = Phrasing.Confidence(sides.Confidence);
        statements.Add(
            better.Count + worse.Count + moved.Count == 0
                ? $"No difference between the runs is real at {confidence} confidence: with these examples, what differs is noise."
            : better.Count + worse.Count == 0
                ? $"{sides.B} is neither really better nor really worse than {sides.A} at {confidence} confidence{changed}; every other difference is noise."
            : $"{sides.B} is really better on {List(better)} and really worse on {List(worse)} at {confidence} confidence{changed}; every other difference is noise."
        );
        if (paired is null && (b.Comparison is not null || a.Comparison is not null))
        {
            statements.Add(
                "A run evaluated with a baseline model carries a paired comparison (the same examples scored by two models): for those two models it is the authoritative one, sharper than comparing runs."
            );
        }
        else if (paired is null && SameFile(a, b) is { } file)
        {
            statements.Add(
                string.Create(
                    Inv,
                    $"Both runs read the same data file, {file.Name} ({file.Rows:#,0} rows, SHA-256 {file.Sha256[..12]}…): the same examples with the same scores, so what differs is the contract they were judged by (its threshold, bars or columns), not the model."
                )
            );
        }
        else if (
            paired is null
            && a.N == b.N
            && a.Confusion is { } ca
            && b.Confusion is { } cb
            && ca.Tp + ca.Fn == cb.Tp + cb.Fn
        )
        {
            statements.Add(
                "The runs have as many examples and positives as each other: if they are the same examples, compare them paired by evaluating B with A as its baseline, which is sharper than these intervals for independent samples."
            );
        }
        if (metrics.Any(m => m.Approximate && m.CiLow is not null))
        {
            statements.Add(
                "Rates are compared from their counts (Newcombe's interval); the other metrics from the two runs' bootstrap intervals, which is approximate because a report does not carry its resamples."
            );
        }
        return statements;
    }

    private static string VerdictWords(Verdict verdict) =>
        verdict switch
        {
            Verdict.Pass => "meets the contract",
            Verdict.Fail => "misses the contract",
            _ => "not settled yet (not enough data)",
        };

    private static string List(List<string> names) => names.Count == 0 ? "nothing" : string.Join(", ", names);
}

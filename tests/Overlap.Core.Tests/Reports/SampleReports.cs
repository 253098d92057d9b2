using Overlap.Core.Contracts;
using Overlap.Core.Drift;
using Overlap.Core.Evaluation;
using Overlap.Core.Metrics;

namespace Overlap.Core.Tests.Reports;

/// <summary>Realistic reports built by hand from a seeded synthetic data set, for the report writers' tests.</summary>
internal static class SampleReports
{
    private const double Z = 1.959963984540054;

    public const string HostileFeature = "spam-filter <script>alert('x')</script> & co";

    public static readonly string[] Tlds = ["com", "net", "org", "<b>edu</b> & more"];

    /// <summary>A binary evaluation with segments, curves, calibration, a threshold sweep, costs and a comparison.</summary>
    public static EvaluationReport Binary(string feature = "spam-filter")
    {
        var random = new Random(7);
        var rows = new List<(bool Label, double Score, string Tld)>();
        for (var i = 0; i < 2418; i++)
        {
            var tld = Tlds[
                (i % 7) switch
                {
                    0 or 1 or 2 => 0,
                    3 or 4 => 1,
                    5 => 2,
                    _ => 3,
                }
            ];
            var label = random.NextDouble() < 0.38;
            var shift = tld == "net" ? 0.9 : 1.7;
            var logit = (label ? shift : -1.9) + (Normal(random) * 1.2);
            rows.Add((label, 1 / (1 + Math.Exp(-logit)), tld));
        }
        const double threshold = 0.5;
        var confusion = Count(rows, threshold);
        var metrics = new Dictionary<string, MetricValue>
        {
            ["accuracy"] = Rate(confusion.Tp + confusion.Tn, rows.Count),
            ["precision"] = Rate(confusion.Tp, confusion.Tp + confusion.Fp),
            ["recall"] = Rate(confusion.Tp, confusion.Tp + confusion.Fn),
            ["specificity"] = Rate(confusion.Tn, confusion.Tn + confusion.Fp),
            ["false_positive_rate"] = Rate(confusion.Fp, confusion.Tn + confusion.Fp),
            ["f1"] = new(0.874, 0.861, 0.887, rows.Count),
            ["roc_auc"] = new(0.951, 0.943, 0.959, rows.Count),
            ["pr_auc"] = new(0.927, 0.913, 0.94, rows.Count),
            ["brier"] = new(0.082, 0.076, 0.089, rows.Count),
            ["log_loss"] = new(double.NaN, double.NaN, double.NaN, rows.Count),
        };
        var segments = new Dictionary<string, SegmentResult>();
        foreach (var tld in Tlds)
        {
            var part = rows.Where(r => r.Tld == tld).ToList();
            var c = Count(part, threshold);
            segments[tld] = new SegmentResult
            {
                N = part.Count,
                Confusion = c,
                Metrics = new Dictionary<string, MetricValue>
                {
                    ["recall"] = Rate(c.Tp, c.Tp + c.Fn),
                    ["precision"] = Rate(c.Tp, c.Tp + c.Fp),
                    ["false_positive_rate"] = Rate(c.Fp, c.Fp + c.Tn),
                },
            };
        }

        var recall = metrics["recall"];
        var fpr = metrics["false_positive_rate"];
        var precision = metrics["precision"];
        var bySegment = segments
            .Select(kv =>
            {
                var m = kv.Value.Metrics["recall"];
                return new SegmentVerdict(
                    kv.Key,
                    Judge.Interval(Bound.Min, 0.8, m.CiLow, m.CiHigh),
                    m.Value,
                    m.CiLow,
                    m.CiHigh,
                    m.N
                );
            })
            .ToList();
        var gaps = segments
            .Select(kv =>
            {
                var m = kv.Value.Metrics["recall"];
                var gap = recall.Value - m.Value;
                return new SegmentVerdict(
                    kv.Key,
                    Judge.Interval(Bound.MaxGap, 0.05, gap - 0.04, gap + 0.04),
                    gap,
                    gap - 0.04,
                    gap + 0.04,
                    m.N
                );
            })
            .ToList();
        var worst = bySegment.OrderBy(s => s.Value).First();
        var worstGap = gaps.OrderByDescending(s => s.Value).First();
        var precisionBar = Math.Round(precision.Value, 2);
        var precisionVerdict = Judge.Interval(Bound.Min, precisionBar, precision.CiLow, precision.CiHigh);
        var requirements = new List<RequirementResult>
        {
            Req(
                "recall",
                min: 0.85,
                m: recall,
                statement: "Catches 88 of every 100 spam emails (86 to 90 at 95% confidence)."
            ),
            Req(
                "false_positive_rate",
                max: 0.05,
                m: fpr,
                statement: "1 in 17 legitimate emails is moved to the spam folder."
            ),
            new()
            {
                Metric = "precision",
                Min = precisionBar,
                Verdict = precisionVerdict,
                Value = precision.Value,
                CiLow = precision.CiLow,
                CiHigh = precision.CiHigh,
                MoreExamplesNeeded =
                    precisionVerdict == Verdict.Inconclusive
                        ? Judge.MoreNeeded(
                            precision.Value,
                            precision.CiLow,
                            precision.CiHigh,
                            precision.N,
                            precisionBar
                        )
                        : null,
                Statement = Verdict2(precisionVerdict),
            },
            new()
            {
                Metric = "recall",
                By = "sender_tld",
                Min = 0.8,
                Verdict = Judge.Worst(bySegment.Select(s => s.Verdict)),
                Value = worst.Value,
                CiLow = worst.CiLow,
                CiHigh = worst.CiHigh,
                Segment = worst.Segment,
                Segments = bySegment,
                Statement = "Every sender domain must have recall of at least 80%.",
            },
            new()
            {
                Metric = "recall",
                By = "sender_tld",
                MaxGap = 0.05,
                Verdict = Judge.Worst(gaps.Select(s => s.Verdict)),
                Value = worstGap.Value,
                CiLow = worstGap.CiLow,
                CiHigh = worstGap.CiHigh,
                Segment = worstGap.Segment,
                Segments = gaps,
                Statement = "No sender_tld group may fall more than 5 percentage points below the overall recall.",
            },
            new()
            {
                Metric = "latency_p95_ms",
                Max = 300,
                Verdict = Verdict.Skipped,
                Statement = "Latency is judged in production only.",
            },
        };

        var sweep = Enumerable
            .Range(0, 101)
            .Select(i =>
            {
                var t = i / 100.0;
                var c = Count(rows, t);
                var cost = (c.Fp * 4.0) + (c.Fn * 0.8);
                return new ThresholdPoint(
                    t,
                    c.Tp,
                    c.Fp,
                    c.Fn,
                    c.Tn,
                    c.Tp + c.Fp == 0 ? double.NaN : (double)c.Tp / (c.Tp + c.Fp),
                    (double)c.Tp / (c.Tp + c.Fn),
                    (double)c.Fp / (c.Fp + c.Tn),
                    cost,
                    cost / rows.Count * 1000
                );
            })
            .ToList();
        var optimal = sweep.MinBy(p => p.Cost)!;
        var atContract = sweep[50];

        var roc = new List<CurvePoint>();
        var pr = new List<CurvePoint>();
        foreach (var t in Enumerable.Range(0, 201).Select(i => 1 - (i / 200.0)))
        {
            var c = Count(rows, t);
            roc.Add(new CurvePoint((double)c.Fp / (c.Fp + c.Tn), (double)c.Tp / (c.Tp + c.Fn), t));
            if (c.Tp + c.Fp > 0)
            {
                pr.Add(new CurvePoint((double)c.Tp / (c.Tp + c.Fn), (double)c.Tp / (c.Tp + c.Fp), t));
            }
        }

        var bins = Enumerable
            .Range(0, 10)
            .Select(i =>
            {
                var (lo, hi) = (i / 10.0, (i + 1) / 10.0);
                var inBin = rows.Where(r => r.Score >= lo && (r.Score < hi || (i == 9 && r.Score <= 1))).ToList();
                var positives = inBin.Count(r => r.Label);
                var w = Rate(positives, inBin.Count);
                return new CalibrationBin(
                    lo,
                    hi,
                    inBin.Count,
                    inBin.Count == 0 ? double.NaN : inBin.Average(r => r.Score),
                    w.Value,
                    w.CiLow,
                    w.CiHigh
                );
            })
            .ToList();
        var ece = bins.Where(b => b.N > 0).Sum(b => (double)b.N / rows.Count * Math.Abs(b.MeanScore - b.Observed));
        metrics["ece"] = new MetricValue(ece, ece * 0.7, ece * 1.3, rows.Count);

        var overall = Judge.Worst(requirements.Select(r => r.Verdict));
        return new EvaluationReport
        {
            Feature = feature,
            Task = "binary",
            Verdict = overall,
            N = rows.Count,
            Threshold = threshold,
            Confidence = 0.95,
            Metrics = metrics,
            Confusion = confusion,
            Segments = new Dictionary<string, IReadOnlyDictionary<string, SegmentResult>> { ["sender_tld"] = segments },
            Requirements = requirements,
            Statements =
            [
                "Catches 88 of every 100 spam emails (86 to 90 at 95% confidence); 1 in 17 legitimate emails is moved to the spam folder.",
                "Mail from .net domains is caught less often than the rest: recall 0.79 against 0.88 overall.",
                "Precision is too close to its bar to call: more labelled examples would settle it.",
            ],
            Cost = new CostSummary
            {
                Threshold = threshold,
                CostPer1000 = atContract.CostPer1000,
                OptimalThreshold = optimal.Threshold,
                OptimalCostPer1000 = optimal.CostPer1000,
                Currency = "USD",
                FalsePositiveCost = 4.0,
                FalseNegativeCost = 0.8,
            },
            ThresholdSweep = sweep,
            Calibration = new CalibrationSummary { Ece = ece, Bins = bins },
            Curves = new CurveSet { Roc = roc, PrecisionRecall = pr },
            Comparison = new ComparisonReport
            {
                N = rows.Count,
                Differences =
                [
                    new MetricDifference
                    {
                        Metric = "accuracy",
                        Baseline = 0.884,
                        Candidate = 0.902,
                        Difference = 0.018,
                        PValue = 0.0031,
                        Method = "mcnemar_chi2",
                        Significant = true,
                        Direction = "better",
                    },
                    new MetricDifference
                    {
                        Metric = "recall",
                        Baseline = 0.871,
                        Candidate = 0.879,
                        Difference = 0.008,
                        CiLow = -0.006,
                        CiHigh = 0.022,
                        Method = "paired_bootstrap",
                        Significant = false,
                        Direction = "no_real_difference",
                    },
                    new MetricDifference
                    {
                        Metric = "false_positive_rate",
                        Baseline = 0.052,
                        Candidate = 0.061,
                        Difference = 0.009,
                        CiLow = 0.002,
                        CiHigh = 0.016,
                        Method = "paired_bootstrap",
                        Significant = true,
                        Direction = "worse",
                    },
                ],
                Statements =
                [
                    "The candidate is more accurate than the baseline (+1.8 points, p = 0.003), but flags more legitimate email.",
                ],
            },
        };

        static string Verdict2(Verdict v) =>
            v switch
            {
                Verdict.Pass => "At least 9 in 10 emails moved to the spam folder are spam.",
                Verdict.Fail => "Fewer than 9 in 10 emails moved to the spam folder are spam.",
                _ => "Precision may be just above or just below its bar: not enough data yet.",
            };
    }

    /// <summary>A multiclass evaluation: confusion matrix, per-class figures, one segment column.</summary>
    public static EvaluationReport Multiclass()
    {
        string[] classes = ["billing", "technical", "account", "sales"];
        long[][] matrix =
        [
            [412, 18, 22, 6],
            [25, 537, 31, 4],
            [30, 27, 288, 9],
            [11, 3, 8, 141],
        ];
        var perClass = new Dictionary<string, IReadOnlyDictionary<string, MetricValue>>();
        for (var i = 0; i < classes.Length; i++)
        {
            var tp = matrix[i][i];
            var actual = matrix[i].Sum();
            var predicted = matrix.Sum(row => row[i]);
            perClass[classes[i]] = new Dictionary<string, MetricValue>
            {
                ["precision"] = Rate(tp, predicted),
                ["recall"] = Rate(tp, actual),
                ["f1"] = new((2.0 * tp) / (actual + predicted), double.NaN, double.NaN, actual),
            };
        }
        var n = matrix.Sum(r => r.Sum());
        var accuracy = Rate(Enumerable.Range(0, 4).Sum(i => matrix[i][i]), n);
        var macro = new MetricValue(0.861, 0.842, 0.879, n);
        return new EvaluationReport
        {
            Feature = "ticket-router",
            Task = "multiclass",
            Verdict = Verdict.Inconclusive,
            N = n,
            Confidence = 0.9,
            Metrics = new Dictionary<string, MetricValue>
            {
                ["accuracy"] = accuracy,
                ["macro_f1"] = macro,
                ["weighted_f1"] = new(0.873, 0.857, 0.889, n),
            },
            ConfusionMatrix = matrix,
            Classes = classes,
            PerClass = perClass,
            Segments = new Dictionary<string, IReadOnlyDictionary<string, SegmentResult>>
            {
                ["channel"] = new Dictionary<string, SegmentResult>
                {
                    ["email"] = new()
                    {
                        N = 980,
                        Metrics = new Dictionary<string, MetricValue>
                        {
                            ["accuracy"] = Rate(862, 980),
                            ["macro_f1"] = new(0.85, 0.82, 0.88, 980),
                        },
                    },
                    ["chat"] = new()
                    {
                        N = 421,
                        Metrics = new Dictionary<string, MetricValue>
                        {
                            ["accuracy"] = Rate(368, 421),
                            ["macro_f1"] = new(0.84, 0.8, 0.88, 421),
                        },
                    },
                    ["phone"] = new()
                    {
                        N = 171,
                        Metrics = new Dictionary<string, MetricValue>
                        {
                            ["accuracy"] = Rate(148, 171),
                            ["macro_f1"] = new(0.82, 0.75, 0.88, 171),
                        },
                    },
                },
            },
            Requirements =
            [
                new()
                {
                    Metric = "accuracy",
                    Min = 0.8,
                    Verdict = Verdict.Pass,
                    Value = accuracy.Value,
                    CiLow = accuracy.CiLow,
                    CiHigh = accuracy.CiHigh,
                    Statement = "Routes 87 of every 100 tickets to the right queue.",
                },
                new()
                {
                    Metric = "macro_f1",
                    Min = 0.86,
                    Verdict = Verdict.Inconclusive,
                    Value = macro.Value,
                    CiLow = macro.CiLow,
                    CiHigh = macro.CiHigh,
                    MoreExamplesNeeded = 41000,
                    Statement = "Macro F1 sits on its bar of 0.86.",
                },
            ],
            Statements =
            [
                "Routes 87 of every 100 tickets to the right queue (86 to 88 at 90% confidence).",
                "Account tickets are most often misrouted, usually to billing.",
            ],
        };
    }

    /// <summary>A regression evaluation: no confusion, curves or calibration; one segment column.</summary>
    public static EvaluationReport Regression() =>
        new()
        {
            Feature = "delivery-eta",
            Task = "regression",
            Verdict = Verdict.Fail,
            N = 5120,
            Confidence = 0.95,
            Metrics = new Dictionary<string, MetricValue>
            {
                ["mae"] = new(4.21, 4.05, 4.38, 5120),
                ["rmse"] = new(7.46, 7.1, 7.83, 5120),
                ["r2"] = new(0.812, 0.798, 0.826, 5120),
                ["mape"] = new(0.142, 0.136, 0.149, 5120),
                ["median_ae"] = new(2.9, 2.8, 3.05, 5120),
            },
            Segments = new Dictionary<string, IReadOnlyDictionary<string, SegmentResult>>
            {
                ["region"] = new Dictionary<string, SegmentResult>
                {
                    ["north"] = new()
                    {
                        N = 2210,
                        Metrics = new Dictionary<string, MetricValue>
                        {
                            ["mae"] = new(3.8, 3.6, 4.0, 2210),
                            ["rmse"] = new(6.1, 5.7, 6.5, 2210),
                        },
                    },
                    ["south"] = new()
                    {
                        N = 1904,
                        Metrics = new Dictionary<string, MetricValue>
                        {
                            ["mae"] = new(4.4, 4.15, 4.7, 1904),
                            ["rmse"] = new(7.9, 7.4, 8.5, 1904),
                        },
                    },
                    ["islands"] = new()
                    {
                        N = 1006,
                        Metrics = new Dictionary<string, MetricValue>
                        {
                            ["mae"] = new(4.9, 4.5, 5.3, 1006),
                            ["rmse"] = new(9.2, 8.4, 10.1, 1006),
                        },
                    },
                },
            },
            Requirements =
            [
                new()
                {
                    Metric = "mae",
                    Max = 5,
                    Verdict = Verdict.Pass,
                    Value = 4.21,
                    CiLow = 4.05,
                    CiHigh = 4.38,
                    Statement = "Arrival estimates are off by 4.2 minutes on average.",
                },
                new()
                {
                    Metric = "rmse",
                    Max = 7,
                    Verdict = Verdict.Fail,
                    Value = 7.46,
                    CiLow = 7.1,
                    CiHigh = 7.83,
                    Statement = "Large misses are too common: RMSE 7.5 against a bar of 7.",
                },
            ],
            Statements =
            [
                "Arrival estimates are off by 4.2 minutes on average, but large misses are too common (RMSE 7.5 > 7).",
            ],
        };

    /// <summary>A drift report: numeric and categorical columns, schema changes, one column with many categories.</summary>
    public static DriftReport Drift(string? feature = "spam-filter")
    {
        static DistributionSummary Numeric(double shift)
        {
            var edges = Enumerable
                .Range(0, 12)
                .Select(i => (i * 25).ToString(System.Globalization.CultureInfo.InvariantCulture))
                .ToList();
            var reference = edges.Select((_, i) => Math.Exp(-Math.Pow(i - 4.0, 2) / 6)).ToList();
            var current = edges.Select((_, i) => Math.Exp(-Math.Pow(i - 4.0 - shift, 2) / 6)).ToList();
            return new DistributionSummary
            {
                Bins = edges,
                Reference = Normalise(reference),
                Current = Normalise(current),
            };
        }
        var many = Enumerable.Range(0, 40).Select(i => $"cat-{i:00}").ToList();
        return new DriftReport
        {
            Feature = feature,
            ReferenceRows = 12000,
            CurrentRows = 3400,
            DriftedShare = 0.6,
            DatasetDrift = true,
            Schema =
            [
                new SchemaChange("coupon_code", "new_column", "present in the current data only"),
                new SchemaChange("referrer", "null_share_jump", "missing in 18% of rows, up from 2%"),
                new SchemaChange(
                    "country",
                    "unseen_categories",
                    "3 categories never seen in the reference: <PT>, BR, MX"
                ),
            ],
            Columns =
            [
                new ColumnDrift
                {
                    Column = "amount",
                    Kind = "numeric",
                    Test = "wasserstein",
                    Statistic = 0.295,
                    Threshold = 0.1,
                    Drift = true,
                    ReferenceN = 12000,
                    CurrentN = 3400,
                    Distribution = Numeric(1.6),
                },
                new ColumnDrift
                {
                    Column = "length",
                    Kind = "numeric",
                    Test = "ks",
                    Statistic = 0.021,
                    PValue = 0.42,
                    Threshold = 0.05,
                    Drift = false,
                    ReferenceN = 12000,
                    CurrentN = 3400,
                    Distribution = Numeric(0.1),
                },
                new ColumnDrift
                {
                    Column = "country",
                    Kind = "categorical",
                    Test = "jensen_shannon",
                    Statistic = 0.163,
                    Threshold = 0.1,
                    Drift = true,
                    ReferenceN = 11950,
                    CurrentN = 3390,
                    Distribution = new DistributionSummary
                    {
                        Bins = ["US", "DE", "<FR>", "GB", "PT"],
                        Reference = [0.46, 0.21, 0.15, 0.18, 0],
                        Current = [0.31, 0.24, 0.14, 0.19, 0.12],
                    },
                },
                new ColumnDrift
                {
                    Column = "category",
                    Kind = "categorical",
                    Test = "chi_square",
                    Statistic = 96.4,
                    PValue = 1e-9,
                    Threshold = 0.05,
                    Drift = true,
                    ReferenceN = 12000,
                    CurrentN = 3400,
                    Distribution = new DistributionSummary
                    {
                        Bins = many,
                        Reference = Normalise(many.Select((_, i) => 1.0 / (i + 2)).ToList()),
                        Current = Normalise(many.Select((_, i) => 1.0 / (i + 1.5)).ToList()),
                    },
                },
                new ColumnDrift
                {
                    Column = "links",
                    Kind = "numeric",
                    Test = "psi",
                    Statistic = double.NaN,
                    Threshold = 0.25,
                    Drift = false,
                    ReferenceN = 0,
                    CurrentN = 3400,
                },
            ],
            Statements =
            [
                "3 of 5 columns drifted: the data set has drifted.",
                "amount moved up by about 40 (0.3 reference standard deviations).",
            ],
        };
    }

    private static RequirementResult Req(
        string metric,
        string statement,
        MetricValue m,
        double? min = null,
        double? max = null
    ) =>
        new()
        {
            Metric = metric,
            Min = min,
            Max = max,
            Verdict = Judge.Interval(min is null ? Bound.Max : Bound.Min, (min ?? max)!.Value, m.CiLow, m.CiHigh),
            Value = m.Value,
            CiLow = m.CiLow,
            CiHigh = m.CiHigh,
            Statement = statement,
        };

    private static ConfusionCounts Count(List<(bool Label, double Score, string Tld)> rows, double threshold)
    {
        long tp = 0,
            fp = 0,
            fn = 0,
            tn = 0;
        foreach (var (label, score, _) in rows)
        {
            var flagged = score >= threshold;
            if (label)
            {
                if (flagged)
                {
                    tp++;
                }
                else
                {
                    fn++;
                }
            }
            else if (flagged)
            {
                fp++;
            }
            else
            {
                tn++;
            }
        }
        return new ConfusionCounts(tp, fp, fn, tn);
    }

    private static MetricValue Rate(long k, long n)
    {
        if (n == 0)
        {
            return new MetricValue(double.NaN, double.NaN, double.NaN, 0);
        }
        var p = (double)k / n;
        var denominator = 1 + (Z * Z / n);
        var centre = (p + (Z * Z / (2 * n))) / denominator;
        var half = Z * Math.Sqrt((p * (1 - p) / n) + (Z * Z / (4.0 * n * n))) / denominator;
        return new MetricValue(p, centre - half, centre + half, n);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static List<double> Normalise(List<double> values)
    {
        var sum = values.Sum();
        return values.Select(v => v / sum).ToList();
    }
}

using System.Text;
using Overlap.Core.Evaluation;
using Overlap.Core.Statements;

namespace Overlap.Core.Reports;

/// <content>The evaluation page: verdict first, then requirements, comparison, segments, cost, metrics and curves.</content>
public static partial class HtmlReport
{
    /// <summary>
    /// The evaluation as one self-contained HTML page: the verdict and statements, every requirement
    /// with its interval against the bar, and the charts that exist for the task (curves, calibration,
    /// cost by threshold, segments, confusion matrix). A matrix run is written by <see cref="WriteMatrix"/>.
    /// </summary>
    public static string Write(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Outputs is { Count: > 0 })
        {
            return WriteMatrix(report);
        }
        var b = new StringBuilder(96 * 1024);
        Open(b, $"{report.Feature} · {VerdictText.Headline(report.Verdict)} · Overlap");
        Hero(b, report);
        RequirementsSection(b, report);
        ComparisonSection(b, report);
        SegmentsSection(b, report);
        FairnessSection(b, report);
        WorstOutputsSection(b, report);
        JudgeSection(b, report);
        CostSection(b, report);
        MetricsSection(b, report);
        CurvesSection(b, report);
        AppendProvenance(b, report.Provenance);
        return Close(b);
    }

    private static void Hero(StringBuilder b, EvaluationReport r)
    {
        b.Append("<header class=\"hero v-")
            .Append(VerdictText.Word(r.Verdict))
            .Append("\">")
            .Append("<div class=\"eyebrow\"><span class=\"logo\"></span>Overlap · evaluation report</div>")
            .Append("<div class=\"title-row\"><h1>")
            .Append(Html.E(r.Feature))
            .Append("</h1>")
            .Append("<span class=\"pill badge ")
            .Append(VerdictText.Word(r.Verdict))
            .Append("\">")
            .Append(Html.E(VerdictText.Headline(r.Verdict)))
            .Append("</span></div>")
            .Append("<dl class=\"facts\">");
        Fact(b, "Task", r.Task);
        Fact(b, "Examples", Html.Count(r.N));
        if (r.Threshold is { } t)
        {
            Fact(b, "Threshold", Html.Num(t));
        }
        Fact(b, "Confidence", Phrasing.Confidence(r.Confidence));
        b.Append("</dl>");
        Lead(b, r.Statements);

        var judged = r.Requirements.Where(q => q.Verdict != Verdict.Skipped).ToList();
        b.Append("<div class=\"tiles\">");
        Tile(
            b,
            "pass",
            "Requirements met",
            Html.Count(judged.Count(q => q.Verdict == Verdict.Pass)),
            $"of {Html.Count(judged.Count)}"
        );
        Tile(b, "fail", "Failed", Html.Count(judged.Count(q => q.Verdict == Verdict.Fail)), null);
        Tile(
            b,
            "inconclusive",
            "Need more data",
            Html.Count(judged.Count(q => q.Verdict == Verdict.Inconclusive)),
            null
        );
        var skipped = r.Requirements.Count - judged.Count;
        if (skipped > 0)
        {
            Tile(b, "skipped", "Judged in production", Html.Count(skipped), null);
        }
        if (r.Cost is { } cost)
        {
            Tile(b, string.Empty, "Cost per 1,000 decisions", Html.Money(cost.CostPer1000), cost.Currency);
        }
        b.Append("</div></header>");
    }

    private static void Tile(StringBuilder b, string cls, string key, string value, string? unit)
    {
        b.Append("<div class=\"tile ")
            .Append(cls)
            .Append("\"><div class=\"k\">")
            .Append(Html.E(key))
            .Append("</div><div class=\"v\">")
            .Append(Html.E(value));
        if (unit is not null)
        {
            b.Append("<small>").Append(Html.E(unit)).Append("</small>");
        }
        b.Append("</div></div>");
    }

    private static void RequirementsSection(StringBuilder b, EvaluationReport r)
    {
        SectionHead(
            b,
            "requirements",
            "Requirements",
            $"Judged on the {Phrasing.Confidence(r.Confidence)} interval, never the point estimate."
        );
        b.Append("<div class=\"card flush\"><div class=\"scroll\">");
        if (r.Requirements.Count == 0)
        {
            b.Append(
                "<p class=\"empty\" style=\"padding:16px 22px\">The contract sets no requirements.</p></div></div></section>"
            );
            return;
        }
        b.Append(
            "<table class=\"req\"><thead><tr><th>Requirement</th><th>Verdict</th><th class=\"num\">Value</th><th>Interval against the bar</th><th>What it means</th></tr></thead><tbody>"
        );
        foreach (var q in r.Requirements)
        {
            b.Append("<tr><td><span class=\"bar mono\">").Append(Html.E(VerdictText.Bar(q))).Append("</span>");
            if (q.Segment is { } seg && q.By is not null)
            {
                b.Append("<span class=\"by\">decided by ").Append(Html.E(seg)).Append("</span>");
            }
            b.Append("</td><td>")
                .Append(Pill(q.Verdict))
                .Append("</td><td class=\"num\"><span class=\"value\">")
                .Append(Html.Num(q.Value))
                .Append("</span>");
            var ci = Html.Interval(q.CiLow, q.CiHigh);
            if (ci.Length > 0)
            {
                b.Append("<span class=\"ci\">").Append(Html.E(ci)).Append("</span>");
            }
            b.Append("</td><td class=\"ibar\">")
                .Append(IntervalBar(q))
                .Append("</td><td class=\"detail\">")
                .Append(Html.E(q.Statement));
            if (q.Segments is { Count: > 0 } segments)
            {
                b.Append("<div class=\"chips\">");
                foreach (var s in segments)
                {
                    b.Append("<span class=\"chip ")
                        .Append(VerdictText.Word(s.Verdict))
                        .Append("\" title=\"")
                        .Append(
                            Html.E(
                                $"{VerdictText.Word(s.Verdict)} · {Html.Interval(s.CiLow, s.CiHigh)} · n = {Html.Count(s.N)}"
                            )
                        )
                        .Append("\">")
                        .Append(Html.E(s.Segment))
                        .Append(" <b>")
                        .Append(Html.Num(s.Value))
                        .Append("</b></span>");
                }
                b.Append("</div>");
            }
            if (q.MoreExamplesNeeded is { } more)
            {
                b.Append("<span class=\"more\">About ")
                    .Append(Html.E(Phrasing.Count(more, "more labelled example")))
                    .Append(" would settle it.</span>");
            }
            b.Append("</td></tr>");
        }
        b.Append("</tbody></table></div></div></section>");
    }

    private static void ComparisonSection(StringBuilder b, EvaluationReport r)
    {
        if (r.Comparison is not { } cmp)
        {
            return;
        }
        SectionHead(
            b,
            "comparison",
            "Against the baseline",
            $"Both models on the same {Html.Count(cmp.N)} examples: which differences are real and which are noise."
        );
        b.Append("<div class=\"card\">");
        if (cmp.Statements.Count > 0)
        {
            b.Append("<ul class=\"lead\" style=\"margin:0 0 14px;padding:0;border:0\">");
            foreach (var s in cmp.Statements)
            {
                b.Append("<li>").Append(Html.E(s)).Append("</li>");
            }
            b.Append("</ul>");
        }
        b.Append(
            "<div class=\"scroll\"><table><thead><tr><th>Metric</th><th class=\"num\">Baseline</th><th class=\"num\">Candidate</th><th class=\"num\">Difference</th><th class=\"num\">Interval or p</th><th>Method</th><th>Real?</th></tr></thead><tbody>"
        );
        foreach (var d in cmp.Differences)
        {
            var cls =
                !d.Significant ? "diff-noise"
                : d.Direction == "better" ? "diff-better"
                : d.Direction == "worse" ? "diff-worse"
                : "diff-noise";
            var evidence = d.PValue is { } p ? Phrasing.PValue(p) : Html.Interval(d.CiLow, d.CiHigh);
            var diff = double.IsFinite(d.Difference)
                ? (d.Difference > 0 ? "+" : string.Empty) + Html.Num(d.Difference)
                : "—";
            var word = d.Significant ? d.Direction.Replace('_', ' ') : "noise";
            b.Append("<tr><td>")
                .Append(Html.E(Html.MetricName(d.Metric)))
                .Append("</td><td class=\"num\">")
                .Append(Html.Num(d.Baseline))
                .Append("</td><td class=\"num\">")
                .Append(Html.Num(d.Candidate))
                .Append("</td><td class=\"num ")
                .Append(cls)
                .Append("\">")
                .Append(Html.E(diff))
                .Append("</td><td class=\"num\">")
                .Append(Html.E(evidence.Length > 0 ? evidence : "—"))
                .Append("</td><td class=\"mono muted\">")
                .Append(Html.E(d.Method))
                .Append("</td><td class=\"")
                .Append(cls)
                .Append("\">")
                .Append(Html.E(word))
                .Append("</td></tr>");
        }
        b.Append("</tbody></table></div></div></section>");
    }

    private static void SegmentsSection(StringBuilder b, EvaluationReport r)
    {
        if (r.Segments.Count == 0)
        {
            return;
        }
        SectionHead(
            b,
            "segments",
            "Segments",
            "Bars show each group's figure, whiskers its interval; the dotted line is the overall figure, the solid one the bar."
        );
        b.Append("<div class=\"grid\" style=\"grid-template-columns:1fr\">");
        foreach (var (column, values) in r.Segments)
        {
            var metrics = SegmentMetrics(r, column, values);
            b.Append("<div class=\"card\"><h3>By ")
                .Append(Html.E(column))
                .Append("</h3><div class=\"sub\">")
                .Append(Html.Count(values.Count))
                .Append(values.Count == 1 ? " group" : " groups")
                .Append(" · ")
                .Append(Html.E(string.Join(", ", metrics.Select(Html.MetricName))))
                .Append("</div>");
            if (metrics.Count == 0)
            {
                b.Append("<p class=\"empty\">No figures for these groups.</p></div>");
                continue;
            }
            // One row of up to three panels; each panel's view box matches its share of the card so text keeps one size.
            var perRow = Math.Min(metrics.Count, 3);
            var width = perRow switch
            {
                1 => 1000,
                2 => 500,
                _ => 340,
            };
            b.Append("<div class=\"panels\" style=\"grid-template-columns:repeat(")
                .Append(Html.Count(perRow))
                .Append(",minmax(0,1fr))\">");
            foreach (var metric in metrics)
            {
                b.Append("<div><div class=\"panel-title\">")
                    .Append(Html.E(Html.MetricName(metric)))
                    .Append("</div>")
                    .Append(SegmentChart(r, column, values, metric, width))
                    .Append("</div>");
            }
            b.Append("</div></div>");
        }
        b.Append("</div></section>");
    }

    private static void CostSection(StringBuilder b, EvaluationReport r)
    {
        if (r.ThresholdSweep is not { Count: > 1 } sweep)
        {
            return;
        }
        SectionHead(
            b,
            "threshold",
            "Cost and threshold",
            "What each error costs, and how the trade-off moves with the decision threshold."
        );
        b.Append("<div class=\"grid two\">");
        if (r.Cost is { } cost)
        {
            var saving = cost.CostPer1000 - cost.OptimalCostPer1000;
            b.Append("<div class=\"card\"><h3>Cost per 1,000 decisions</h3><div class=\"sub\">A false positive costs ")
                .Append(Html.E($"{Html.Money(cost.FalsePositiveCost)} {cost.Currency}"))
                .Append(", a false negative ")
                .Append(Html.E($"{Html.Money(cost.FalseNegativeCost)} {cost.Currency}"))
                .Append(".</div>")
                .Append("<div class=\"stat-line\"><span>contract threshold <b>")
                .Append(Html.Num(cost.Threshold))
                .Append("</b> → <b>")
                .Append(Html.Money(cost.CostPer1000))
                .Append("</b> ")
                .Append(Html.E(cost.Currency))
                .Append("</span><span>cost-optimal <b>")
                .Append(Html.Num(cost.OptimalThreshold))
                .Append("</b> → <b>")
                .Append(Html.Money(cost.OptimalCostPer1000))
                .Append("</b> ")
                .Append(Html.E(cost.Currency))
                .Append("</span>");
            if (saving > 0.005)
            {
                b.Append("<span>saves <b>").Append(Html.Money(saving)).Append("</b> per 1,000</span>");
            }
            b.Append("</div><div class=\"sub\">").Append(Html.E(FigureText.Cost(cost))).Append("</div>");
            if (r.Abstain is { Statement: { } abstain })
            {
                b.Append("<div class=\"sub\" data-testid=\"abstain\"><b>People instead of the model.</b> ")
                    .Append(Html.E(abstain))
                    .Append("</div>");
            }
            b.Append(
                    "<div class=\"legend\"><span><i></i>expected cost</span><span><i class=\"ink\"></i>contract threshold</span><span><i class=\"pass\"></i>cost-optimal threshold</span></div>"
                )
                .Append(CostChart(sweep, cost, r.Threshold))
                .Append("</div>");
        }
        b.Append(
                "<div class=\"card\"><h3>Trade-off by threshold</h3><div class=\"sub\">Flag when the score is at or above the threshold.</div>"
            )
            .Append(
                "<div class=\"legend\"><span><i></i>precision</span><span><i class=\"teal\"></i>recall</span><span><i class=\"dash\"></i>false positive rate</span></div>"
            )
            .Append(TradeOffChart(sweep, r.Threshold))
            .Append("</div></div></section>");
    }

    private static void MetricsSection(StringBuilder b, EvaluationReport r)
    {
        SectionHead(
            b,
            "metrics",
            "All metrics",
            $"Every figure overall, with its {Phrasing.Confidence(r.Confidence)} interval and the examples behind it."
        );
        var hasMatrix = r.Confusion is not null || (r.ConfusionMatrix is { Count: > 0 } && r.Classes is { Count: > 0 });
        b.Append("<div class=\"grid top")
            .Append(hasMatrix ? " two" : string.Empty)
            .Append(
                "\"><div class=\"card flush\"><div class=\"scroll\"><table class=\"compact\"><thead><tr><th>Metric</th><th class=\"num\">Value</th><th class=\"num\">Interval</th><th class=\"num\">n</th></tr></thead><tbody>"
            );
        foreach (var (name, m) in r.Metrics)
        {
            b.Append("<tr><td>")
                .Append(Html.E(Html.MetricName(name)))
                .Append("</td><td class=\"num\"><b>")
                .Append(Html.E(double.IsFinite(m.Value) ? Html.Num(m.Value) : FigureText.Value(m.Value)))
                .Append("</b></td><td class=\"num muted\">")
                .Append(Html.E(FigureText.Interval(m.CiLow, m.CiHigh, m.Reason)))
                .Append("</td><td class=\"num muted\">")
                .Append(Html.Count(m.N))
                .Append("</td></tr>");
        }
        b.Append("</tbody></table></div></div>");
        if (r.Confusion is { } c)
        {
            BinaryMatrix(b, c);
        }
        else if (r.ConfusionMatrix is { Count: > 0 } matrix && r.Classes is { Count: > 0 } classes)
        {
            MulticlassMatrix(b, matrix, classes);
        }
        b.Append("</div>");
        if (r.PerClass is { Count: > 0 } perClass)
        {
            PerClassTable(b, perClass);
        }
        b.Append("</section>");
    }

    private static void BinaryMatrix(StringBuilder b, ConfusionCounts c)
    {
        var pos = c.Tp + c.Fn;
        var neg = c.Fp + c.Tn;
        static string Share(long k, long of) => of > 0 ? Html.Percent((double)k / of) : "—";
        b.Append("<div class=\"card\"><h3>Confusion matrix</h3><div class=\"sub\">")
            .Append(Html.Count(pos))
            .Append(" positive and ")
            .Append(Html.Count(neg))
            .Append(" negative examples; shares are of each actual class.</div>")
            .Append("<table class=\"matrix binary\"><tr><th></th><th>Flagged</th><th>Not flagged</th></tr>")
            .Append("<tr><th class=\"rowh\">Actually positive</th><td class=\"ok\"><b>")
            .Append(Html.Count(c.Tp))
            .Append("</b><span>caught · ")
            .Append(Share(c.Tp, pos))
            .Append("</span></td>")
            .Append("<td class=\"err\"><b>")
            .Append(Html.Count(c.Fn))
            .Append("</b><span>missed · ")
            .Append(Share(c.Fn, pos))
            .Append("</span></td></tr>")
            .Append("<tr><th class=\"rowh\">Actually negative</th><td class=\"err\"><b>")
            .Append(Html.Count(c.Fp))
            .Append("</b><span>false alarms · ")
            .Append(Share(c.Fp, neg))
            .Append("</span></td>")
            .Append("<td class=\"ok\"><b>")
            .Append(Html.Count(c.Tn))
            .Append("</b><span>left alone · ")
            .Append(Share(c.Tn, neg))
            .Append("</span></td></tr></table></div>");
    }

    private static void MulticlassMatrix(
        StringBuilder b,
        IReadOnlyList<IReadOnlyList<long>> matrix,
        IReadOnlyList<string> classes
    )
    {
        b.Append(
            "<div class=\"card\"><h3>Confusion matrix</h3><div class=\"sub\">Rows are the actual class, columns the predicted one; shading is the share of the row.</div><div class=\"scroll\"><table class=\"matrix\"><tr><th class=\"rowh\">actual ↓ predicted →</th>"
        );
        foreach (var c in classes)
        {
            b.Append("<th>").Append(Html.E(Html.Clip(c, 14))).Append("</th>");
        }
        b.Append("</tr>");
        for (var i = 0; i < matrix.Count && i < classes.Count; i++)
        {
            var row = matrix[i];
            var total = row.Sum();
            b.Append("<tr><th class=\"rowh\">").Append(Html.E(Html.Clip(classes[i], 18))).Append("</th>");
            for (var j = 0; j < row.Count; j++)
            {
                var share = total > 0 ? (double)row[j] / total : 0;
                b.Append("<td")
                    .Append(share > 0.55 ? " class=\"hot\"" : string.Empty)
                    .Append(" style=\"--h:")
                    .Append(Svg.N(Math.Round(share * 10) / 10))
                    .Append("\" title=\"")
                    .Append(
                        Html.E(
                            $"actual {classes[i]}, predicted {(j < classes.Count ? classes[j] : "?")}: {Html.Count(row[j])}"
                        )
                    )
                    .Append("\"><b>")
                    .Append(Html.Count(row[j]))
                    .Append("</b><span>")
                    .Append(Html.Percent(share))
                    .Append("</span></td>");
            }
            b.Append("</tr>");
        }
        b.Append("</table></div></div>");
    }

    private static void PerClassTable(
        StringBuilder b,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>> perClass
    )
    {
        var names = perClass.Values.SelectMany(m => m.Keys).Distinct(StringComparer.Ordinal).ToList();
        b.Append(
            "<div class=\"card flush\" style=\"margin-top:16px\"><div class=\"scroll\"><table><thead><tr><th>Class</th>"
        );
        foreach (var n in names)
        {
            b.Append("<th class=\"num\">").Append(Html.E(Html.MetricName(n))).Append("</th>");
        }
        b.Append("</tr></thead><tbody>");
        foreach (var (cls, metrics) in perClass)
        {
            b.Append("<tr><td><b>").Append(Html.E(cls)).Append("</b></td>");
            foreach (var n in names)
            {
                if (metrics.TryGetValue(n, out var m))
                {
                    var ci = Html.Interval(m.CiLow, m.CiHigh);
                    b.Append("<td class=\"num\" title=\"")
                        .Append(Html.E($"{ci} · n = {Html.Count(m.N)}"))
                        .Append("\">")
                        .Append(Html.Num(m.Value));
                    if (ci.Length > 0)
                    {
                        b.Append("<span class=\"ci muted small\" style=\"display:block\">")
                            .Append(Html.E(ci))
                            .Append("</span>");
                    }
                    b.Append("</td>");
                }
                else
                {
                    b.Append("<td class=\"num muted\">—</td>");
                }
            }
            b.Append("</tr>");
        }
        b.Append("</tbody></table></div></div>");
    }

    private static void CurvesSection(StringBuilder b, EvaluationReport r)
    {
        if (r.Curves is null && r.Calibration is null)
        {
            return;
        }
        SectionHead(
            b,
            "curves",
            "How well the score ranks and is calibrated",
            "Independent of the threshold; the dark point is the contract threshold."
        );
        b.Append("<div class=\"grid\">");
        if (r.Curves is { } curves)
        {
            if (curves.Roc.Count > 1)
            {
                b.Append("<div class=\"card\"><h3>ROC curve</h3><div class=\"sub\">")
                    .Append(Html.E(AreaText(r, "roc_auc", "ROC AUC")))
                    .Append("</div>")
                    .Append(RocChart(curves, r.Threshold))
                    .Append("</div>");
            }
            if (curves.PrecisionRecall.Count > 1)
            {
                b.Append("<div class=\"card\"><h3>Precision and recall</h3><div class=\"sub\">")
                    .Append(Html.E(AreaText(r, "pr_auc", "average precision")))
                    .Append("</div>")
                    .Append(PrChart(curves, r.Threshold, r.Confusion))
                    .Append("</div>");
            }
        }
        if (r.Calibration is { Bins.Count: > 0 } cal)
        {
            b.Append("<div class=\"card\"><h3>Calibration</h3><div class=\"sub\">Expected calibration error ")
                .Append(Html.Num(cal.Ece))
                .Append("; points on the diagonal mean a score of 0.7 comes true 7 times in 10.</div>")
                .Append(CalibrationChart(cal))
                .Append("</div>");
        }
        b.Append("</div></section>");
    }

    private static string AreaText(EvaluationReport r, string metric, string label) =>
        r.Metrics.TryGetValue(metric, out var m)
            ? $"{label} {Html.Num(m.Value)}{(Html.Interval(m.CiLow, m.CiHigh) is { Length: > 0 } ci ? $" ({ci})" : string.Empty)}"
            : label;

    /// <summary>The metrics charted for a segment column: those its requirements name, else a few key ones.</summary>
    private static List<string> SegmentMetrics(
        EvaluationReport r,
        string column,
        IReadOnlyDictionary<string, SegmentResult> values
    )
    {
        var available = values.Values.SelectMany(v => v.Metrics.Keys).Distinct(StringComparer.Ordinal).ToList();
        var named = r
            .Requirements.Where(q =>
                string.Equals(q.By, column, StringComparison.Ordinal) && available.Contains(q.Metric)
            )
            .Select(q => q.Metric)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (named.Count > 0)
        {
            return named;
        }
        string[] preferred =
        [
            "recall",
            "precision",
            "false_positive_rate",
            "accuracy",
            "macro_f1",
            "mae",
            "rmse",
            "r2",
        ];
        var picked = preferred.Where(available.Contains).Take(3).ToList();
        return picked.Count > 0 ? picked : available.Take(3).ToList();
    }
}

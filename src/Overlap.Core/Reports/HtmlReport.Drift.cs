using System.Text;
using Overlap.Core.Drift;
using Overlap.Core.Evaluation;

namespace Overlap.Core.Reports;

/// <content>The drift page: the data set's verdict, schema changes, the column table and each column's distributions.</content>
public static partial class HtmlReport
{
    private const int MaxDistributionBins = 24;

    /// <summary>
    /// The drift report as one self-contained HTML page: whether the data set drifted, schema changes,
    /// each column's test, and its reference and current distributions drawn over each other.
    /// </summary>
    public static string Write(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var b = new StringBuilder(64 * 1024);
        var undecided = report.Columns.Count > 0 && report.NotJudged == report.Columns.Count;
        var headline =
            report.DatasetDrift ? "DRIFT DETECTED"
            : undecided ? "NOT ENOUGH DATA"
            : "NO DATASET DRIFT";
        Open(b, $"{report.Feature ?? "Data"} · {headline} · Overlap drift");
        var drifted = report.Columns.Count(c => c.Drift);
        var verdict =
            report.DatasetDrift ? Verdict.Fail
            : drifted > 0 || undecided ? Verdict.Inconclusive
            : Verdict.Pass;
        b.Append("<header class=\"hero v-")
            .Append(VerdictText.Word(verdict))
            .Append("\">")
            .Append("<div class=\"eyebrow\"><span class=\"logo\"></span>Overlap · drift report</div>")
            .Append("<div class=\"title-row\"><h1>")
            .Append(Html.E(report.Feature ?? "Data drift"))
            .Append("</h1>")
            .Append(Pill(verdict, headline).Replace("class=\"pill ", "class=\"pill badge ", StringComparison.Ordinal))
            .Append("</div><dl class=\"facts\">");
        Fact(b, "Reference rows", Html.Count(report.ReferenceRows));
        Fact(b, "Current rows", Html.Count(report.CurrentRows));
        Fact(b, "Drifted columns", $"{Html.Count(drifted)} of {Html.Count(report.Columns.Count - report.NotJudged)}");
        if (report.NotJudged > 0)
        {
            Fact(
                b,
                "Not judged",
                $"{Html.Count(report.NotJudged)} (under {Html.Count(report.MinSamples)} values a side)"
            );
        }
        Fact(b, "Drifted share", Html.Percent(report.DriftedShare));
        Fact(b, "Schema changes", Html.Count(report.Schema.Count));
        b.Append("</dl>");
        Lead(b, report.Statements);
        b.Append("</header>");

        if (report.Schema.Count > 0)
        {
            SectionHead(
                b,
                "schema",
                "Schema changes",
                "Found before any test: columns that appeared, vanished, changed type or gained missing values."
            );
            b.Append("<div class=\"card\"><ul class=\"changes\">");
            foreach (var change in report.Schema)
            {
                b.Append("<li><span class=\"kind\">")
                    .Append(Html.E(change.Change.Replace('_', ' ')))
                    .Append("</span><b>")
                    .Append(Html.E(change.Column))
                    .Append("</b><span class=\"muted\">")
                    .Append(Html.E(change.Detail))
                    .Append("</span></li>");
            }
            b.Append("</ul></div></section>");
        }

        SectionHead(
            b,
            "columns",
            "Columns",
            "Drift is judged per column; the data set has drifted when at least half of the judged columns have, or when a column is missing or changed type."
        );
        b.Append("<div class=\"card flush\"><div class=\"scroll\">");
        if (report.Columns.Count == 0)
        {
            b.Append("<p class=\"empty\" style=\"padding:16px 22px\">No column was tested.</p>");
        }
        else
        {
            b.Append(
                "<table><thead><tr><th>Column</th><th>Kind</th><th>Test</th><th class=\"num\">Statistic</th><th class=\"num\">p-value</th><th class=\"num\">Threshold</th><th class=\"num\">Reference n</th><th class=\"num\">Current n</th><th>What it means</th><th>Drift</th></tr></thead><tbody>"
            );
            foreach (var c in report.Columns)
            {
                b.Append("<tr><td><b>")
                    .Append(Html.E(c.Column))
                    .Append("</b></td><td class=\"muted\">")
                    .Append(Html.E(c.Kind))
                    .Append("</td><td class=\"mono\">")
                    .Append(Html.E(c.Test))
                    .Append("</td><td class=\"num\">")
                    .Append(Html.Num(c.Statistic))
                    .Append("</td><td class=\"num\">")
                    .Append(PValue(c.PValue))
                    .Append("</td><td class=\"num muted\">")
                    .Append(Html.Num(c.Threshold))
                    .Append("</td><td class=\"num muted\">")
                    .Append(Html.Count(c.ReferenceN))
                    .Append("</td><td class=\"num muted\">")
                    .Append(Html.Count(c.CurrentN))
                    .Append("</td><td class=\"muted\">")
                    .Append(Html.E(c.Meaning ?? c.Reason ?? "—"))
                    .Append("</td><td>")
                    .Append(DriftPill(c.DriftVerdict))
                    .Append("</td></tr>");
            }
            b.Append("</tbody></table>");
        }
        b.Append("</div></div></section>");

        AppendText(b, report.Text);
        var charted = report
            .Columns.Concat(report.Text.SelectMany(t => t.Descriptors))
            .Where(c => c.Distribution is { Bins.Count: > 0 })
            .ToList();
        if (charted.Count > 0)
        {
            SectionHead(
                b,
                "distributions",
                "Distributions",
                "Share of rows in each bin or category: reference against current."
            );
            b.Append(
                "<div class=\"legend\" style=\"margin:0 4px 12px\"><span><i class=\"sq ref\"></i>reference</span><span><i class=\"sq\"></i>current</span></div><div class=\"grid\">"
            );
            foreach (var c in charted)
            {
                b.Append(
                        "<div class=\"card\"><div class=\"title-row\" style=\"margin:0;justify-content:space-between\"><h3>"
                    )
                    .Append(Html.E(c.Column))
                    .Append("</h3>")
                    .Append(DriftPill(c.DriftVerdict))
                    .Append("</div><div class=\"sub\">")
                    .Append(Html.E(c.Kind))
                    .Append(" · <span class=\"mono\">")
                    .Append(Html.E(c.Test))
                    .Append("</span> ")
                    .Append(Html.Num(c.Statistic));
                if (c.PValue is { } p)
                {
                    b.Append(" · p ").Append(PValue(p));
                }
                b.Append(" · threshold ")
                    .Append(Html.Num(c.Threshold))
                    .Append("</div><p class=\"muted\">")
                    .Append(Html.E(c.Meaning ?? c.Reason ?? string.Empty))
                    .Append("</p>")
                    .Append(DistributionChart(c))
                    .Append("</div>");
            }
            b.Append("</div></section>");
        }
        AppendProvenance(b, report.Provenance);
        return Close(b);
    }

    /// <summary>Each text column: the embedding test in words, then its descriptors' tests.</summary>
    private static void AppendText(StringBuilder b, IReadOnlyList<TextColumnDrift> texts)
    {
        if (texts.Count == 0)
        {
            return;
        }
        SectionHead(
            b,
            "text",
            "Text columns",
            "A classifier tries to tell current texts from reference ones by their sentence embeddings (ROC AUC 0.5 is chance); simple descriptors of every text are tested beside it."
        );
        foreach (var t in texts)
        {
            b.Append(
                    "<div class=\"card\"><div class=\"title-row\" style=\"margin:0;justify-content:space-between\"><h3>"
                )
                .Append(Html.E(t.Column))
                .Append("</h3>")
                .Append(DriftPill(double.IsNaN(t.Auc) ? null : t.Drift))
                .Append("</div><div class=\"sub\">");
            if (t.Model is not null)
            {
                b.Append(Html.E(t.Model))
                    .Append(" · ")
                    .Append(Html.Count(t.ReferenceSampled))
                    .Append(" reference and ")
                    .Append(Html.Count(t.CurrentSampled))
                    .Append(" current texts embedded · AUC ")
                    .Append(Html.Num(t.Auc))
                    .Append(" · threshold ")
                    .Append(Html.Num(t.Threshold))
                    .Append(" · ")
                    .Append(Html.E(t.MmdInWords() ?? string.Empty));
            }
            b.Append("</div><p class=\"muted\">")
                .Append(Html.E(t.Meaning))
                .Append(
                    "</p><table><thead><tr><th>Descriptor</th><th>Test</th><th class=\"num\">Statistic</th><th class=\"num\">Threshold</th><th>What it means</th><th>Drift</th></tr></thead><tbody>"
                );
            foreach (var d in t.Descriptors)
            {
                b.Append("<tr><td><b>")
                    .Append(Html.E(d.Column))
                    .Append("</b></td><td class=\"mono\">")
                    .Append(Html.E(d.Test))
                    .Append("</td><td class=\"num\">")
                    .Append(Html.Num(d.Statistic))
                    .Append("</td><td class=\"num muted\">")
                    .Append(Html.Num(d.Threshold))
                    .Append("</td><td class=\"muted\">")
                    .Append(Html.E(d.Meaning ?? d.Reason ?? "—"))
                    .Append("</td><td>")
                    .Append(DriftPill(d.DriftVerdict))
                    .Append("</td></tr>");
            }
            b.Append("</tbody></table></div>");
        }
        b.Append("</section>");
    }

    private static string DriftPill(bool? drift) =>
        drift switch
        {
            true => Pill(Verdict.Fail, "drifted"),
            false => Pill(Verdict.Pass, "stable"),
            null => Pill(Verdict.Inconclusive, "not judged"),
        };

    private static string PValue(double? p) =>
        p switch
        {
            null => "—",
            { } v when double.IsFinite(v) && v < 0.0001 => "&lt; 0.0001",
            { } v => Html.Num(v),
        };

    /// <summary>Reference and current shares per bin, as paired bars (the largest bins when there are many categories).</summary>
    private static string DistributionChart(ColumnDrift c)
    {
        var d = c.Distribution!;
        var count = Math.Min(d.Bins.Count, Math.Min(d.Reference.Count, d.Current.Count));
        var indices = Enumerable.Range(0, count).ToList();
        var dropped = 0;
        if (count > MaxDistributionBins)
        {
            var keep = indices
                .OrderByDescending(i => Math.Max(Share(d.Reference[i]), Share(d.Current[i])))
                .Take(MaxDistributionBins)
                .ToHashSet();
            dropped = count - keep.Count;
            indices = indices.Where(keep.Contains).ToList();
        }
        var max = Svg.NiceMax(
            indices.SelectMany(i => new[] { Share(d.Reference[i]), Share(d.Current[i]) }).DefaultIfEmpty(0).Max()
        );
        var s = new Svg(
            320,
            190,
            $"{c.Column}: reference and current distributions",
            left: 36,
            right: 6,
            top: 8,
            bottom: 36
        )
            .XDomain(0, Math.Max(1, indices.Count))
            .YDomain(0, max);
        s.Axes([], Svg.Ticks(0, max, 4), Svg.Tick, Html.Percent);
        var group = (s.Right - s.Left) / Math.Max(1, indices.Count);
        var barW = Math.Max(1, Math.Min(18, group * 0.38));
        var every = Math.Max(1, (int)Math.Ceiling(indices.Count / 8.0));
        var clip =
            indices.Count <= 4 ? 14
            : indices.Count <= 6 ? 10
            : 8;
        for (var k = 0; k < indices.Count; k++)
        {
            var i = indices[k];
            var (rf, cu) = (Share(d.Reference[i]), Share(d.Current[i]));
            var cx = s.Left + (group * (k + 0.5));
            var tip = $"{d.Bins[i]}: reference {Html.Percent(rf)}, current {Html.Percent(cu)}";
            s.Rect(cx - barW - 0.5, s.Y(rf), barW, s.Bottom - s.Y(rf), "b-ref", tip, 1.5);
            s.Rect(cx + 0.5, s.Y(cu), barW, s.Bottom - s.Y(cu), "b-cur", tip, 1.5);
            if (k % every == 0)
            {
                s.Text(cx, s.Bottom + 14, Html.Clip(d.Bins[i], clip), "tick", "middle", d.Bins[i]);
            }
        }
        if (dropped > 0)
        {
            s.Text(s.Right, s.Bottom + 30, $"{Html.Count(dropped)} smaller categories not shown", "lbl-m", "end");
        }
        else if (c.Kind == "numeric")
        {
            s.Text((s.Left + s.Right) / 2, s.Bottom + 30, "bins by lower edge", "axis-title", "middle");
        }
        return s.ToString();
    }

    private static double Share(double v) => double.IsFinite(v) ? v : 0;
}

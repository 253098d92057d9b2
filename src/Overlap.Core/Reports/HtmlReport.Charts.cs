using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;
using Overlap.Core.Metrics;

namespace Overlap.Core.Reports;

/// <content>The evaluation's charts, drawn with <see cref="Svg"/>.</content>
public static partial class HtmlReport
{
    /// <summary>A requirement's interval drawn against its bar, with the passing side shaded.</summary>
    private static string IntervalBar(RequirementResult q)
    {
        var bar = q.Min ?? q.Max ?? q.MaxGap;
        var lo = q.CiLow ?? double.NaN;
        var hi = q.CiHigh ?? double.NaN;
        var v = q.Value ?? double.NaN;
        if (bar is not { } b || q.Verdict == Verdict.Skipped || (!double.IsFinite(v) && !double.IsFinite(lo)))
        {
            return "<span class=\"muted\">—</span>";
        }
        double[] all = [b, lo, hi, v];
        var finite = all.Where(double.IsFinite).ToList();
        var (min, max) = (finite.Min(), finite.Max());
        var pad = Math.Max((max - min) * 0.3, Math.Max(Math.Abs(b) * 0.02, 0.01));
        var (d0, d1) = (min - pad, max + pad);
        if (MetricCatalog.Find(q.Metric) is { Bounded: true } && q.MaxGap is null)
        {
            (d0, d1) = (Math.Max(0, d0), Math.Min(1, d1));
        }
        var s = new Svg(200, 40, $"{VerdictText.Bar(q)}: {Html.Interval(lo, hi)}", left: 6, right: 6, top: 4, bottom: 4)
            .XDomain(d0, d1)
            .YDomain(0, 1);
        const double y = 26;
        s.Rect(s.Left, y - 4, s.Right - s.Left, 8, "track", radius: 4);
        var bx = s.X(b);
        if (q.Min is not null)
        {
            s.Rect(bx, y - 4, s.Right - bx, 8, "zone-ok", radius: 4);
        }
        else
        {
            s.Rect(s.Left, y - 4, bx - s.Left, 8, "zone-ok", radius: 4);
        }
        s.Segment(bx, 12, bx, 36, "bar-line");
        s.Text(
            bx,
            9,
            Html.Num(b),
            "lbl-m",
            bx > 170 ? "end"
                : bx < 30 ? "start"
                : "middle"
        );
        if (double.IsFinite(lo) && double.IsFinite(hi))
        {
            s.Segment(s.X(lo), y, s.X(hi), y, "iv-" + VerdictText.Word(q.Verdict));
        }
        if (double.IsFinite(v))
        {
            s.Dot(s.X(v), y, 3.5, "pv");
        }
        return s.ToString();
    }

    private static string RocChart(CurveSet curves, double? threshold)
    {
        var s = new Svg(
            300,
            280,
            "ROC curve: recall against false positive rate",
            left: 40,
            right: 10,
            top: 10,
            bottom: 32
        )
            .XDomain(0, 1)
            .YDomain(0, 1);
        s.Axes(Svg.Ticks(0, 1, 5), Svg.Ticks(0, 1, 5), Svg.Tick, Svg.Tick, "false positive rate", "recall");
        s.Segment(s.X(0), s.Y(0), s.X(1), s.Y(1), "diag");
        var points = curves.Roc.Select(p => (p.X, p.Y)).ToList();
        s.Area(points, "area").Line(points, "s1");
        OperatingPoint(s, curves.Roc, threshold);
        return s.ToString();
    }

    private static string PrChart(CurveSet curves, double? threshold, ConfusionCounts? confusion)
    {
        var s = new Svg(300, 280, "Precision against recall", left: 40, right: 10, top: 10, bottom: 32)
            .XDomain(0, 1)
            .YDomain(0, 1);
        s.Axes(Svg.Ticks(0, 1, 5), Svg.Ticks(0, 1, 5), Svg.Tick, Svg.Tick, "recall", "precision");
        if (confusion is { } c && c.Tp + c.Fp + c.Fn + c.Tn > 0)
        {
            var prevalence = (double)(c.Tp + c.Fn) / (c.Tp + c.Fp + c.Fn + c.Tn);
            s.Segment(s.X(0), s.Y(prevalence), s.X(1), s.Y(prevalence), "diag");
            s.Text(s.X(1) - 2, s.Y(prevalence) - 5, $"chance ({Html.Num(prevalence)})", "lbl-m", "end");
        }
        var points = curves.PrecisionRecall.Select(p => (p.X, p.Y)).ToList();
        s.Area(points, "area").Line(points, "s1");
        OperatingPoint(s, curves.PrecisionRecall, threshold);
        return s.ToString();
    }

    /// <summary>Marks the curve point nearest the contract threshold.</summary>
    private static void OperatingPoint(Svg s, IReadOnlyList<CurvePoint> curve, double? threshold)
    {
        if (threshold is not { } t)
        {
            return;
        }
        var nearest = curve
            .Where(p => double.IsFinite(p.Threshold) && double.IsFinite(p.X) && double.IsFinite(p.Y))
            .OrderBy(p => Math.Abs(p.Threshold - t))
            .Cast<CurvePoint?>()
            .FirstOrDefault();
        if (nearest is not { } point)
        {
            return;
        }
        var (x, y) = (s.X(point.X), s.Y(point.Y));
        s.Dot(x, y, 5, "pt-ink", $"threshold {Html.Num(t)}: ({Html.Num(point.X)}, {Html.Num(point.Y)})");
        var right = x < (s.Left + s.Right) / 2;
        s.Text(
            x + (right ? 9 : -9),
            y + (y < s.Top + 20 ? 16 : -8),
            $"threshold {Html.Num(t)}",
            "lbl-b",
            right ? "start" : "end"
        );
    }

    private static string CalibrationChart(CalibrationSummary cal)
    {
        var s = new Svg(
            300,
            280,
            "Reliability diagram: observed share against mean score",
            left: 40,
            right: 10,
            top: 10,
            bottom: 32
        )
            .XDomain(0, 1)
            .YDomain(0, 1);
        s.Axes(Svg.Ticks(0, 1, 5), Svg.Ticks(0, 1, 5), Svg.Tick, Svg.Tick, "mean score", "observed share positive");
        var maxN = Math.Max(1, cal.Bins.Max(x => x.N));
        var histHeight = (s.Bottom - s.Top) * 0.16;
        foreach (var bin in cal.Bins)
        {
            var h = histHeight * bin.N / maxN;
            var (xa, xb) = (s.X(bin.Low), s.X(bin.High));
            s.Rect(
                xa + 1,
                s.Bottom - h,
                xb - xa - 2,
                h,
                "hist",
                $"{Html.Num(bin.Low)} – {Html.Num(bin.High)}: {Html.Count(bin.N)} examples"
            );
        }
        s.Segment(s.X(0), s.Y(0), s.X(1), s.Y(1), "diag");
        var filled = cal
            .Bins.Where(x => x.N > 0 && double.IsFinite(x.MeanScore) && double.IsFinite(x.Observed))
            .ToList();
        foreach (var bin in filled)
        {
            s.VWhisker(bin.MeanScore, bin.CiLow, bin.CiHigh, "wh");
        }
        s.Line(filled.Select(x => (x.MeanScore, x.Observed)), "s1");
        foreach (var bin in filled)
        {
            s.Dot(
                s.X(bin.MeanScore),
                s.Y(bin.Observed),
                2.5 + (3 * Math.Sqrt((double)bin.N / maxN)),
                "pt",
                $"scores {Html.Num(bin.Low)} – {Html.Num(bin.High)}: mean score {Html.Num(bin.MeanScore)}, observed {Html.Num(bin.Observed)} ({Html.Interval(bin.CiLow, bin.CiHigh)}), n = {Html.Count(bin.N)}"
            );
        }
        return s.ToString();
    }

    private static string CostChart(IReadOnlyList<ThresholdPoint> sweep, CostSummary cost, double? threshold)
    {
        var max = Svg.NiceMax(sweep.Select(p => p.CostPer1000).Where(double.IsFinite).DefaultIfEmpty(1).Max());
        var s = new Svg(460, 280, "Expected cost per 1,000 decisions by threshold", left: 52, top: 34)
            .XDomain(0, 1)
            .YDomain(0, max);
        s.Axes(
            Svg.Ticks(0, 1, 5),
            Svg.Ticks(0, max, 4),
            Svg.Tick,
            Svg.Tick,
            "threshold",
            $"cost per 1,000 ({cost.Currency})"
        );
        var points = sweep.Select(p => (p.Threshold, p.CostPer1000)).ToList();
        s.Area(points, "area").Line(points, "s1");
        var contract = threshold ?? cost.Threshold;
        if (Math.Abs(contract - cost.OptimalThreshold) < 0.005)
        {
            Marker(
                s,
                cost.OptimalThreshold,
                cost.OptimalCostPer1000,
                "mark-pass",
                "pt-pass",
                $"contract {Html.Num(contract)} is cost-optimal",
                12
            );
        }
        else
        {
            // The lower threshold's label goes to its left, the higher one's to its right, so they never cross.
            var optimalRight = cost.OptimalThreshold > contract;
            Marker(
                s,
                contract,
                cost.CostPer1000,
                "mark",
                "pt-ink",
                $"contract {Html.Num(contract)}",
                12,
                !optimalRight
            );
            Marker(
                s,
                cost.OptimalThreshold,
                cost.OptimalCostPer1000,
                "mark-pass",
                "pt-pass",
                $"optimal {Html.Num(cost.OptimalThreshold)}",
                12,
                optimalRight
            );
        }
        return s.ToString();
    }

    private static void Marker(
        Svg s,
        double x,
        double y,
        string line,
        string dot,
        string text,
        double labelY,
        bool? toRight = null
    )
    {
        if (!double.IsFinite(x))
        {
            return;
        }
        var px = s.X(x);
        s.Segment(px, labelY + 4, px, s.Bottom, line);
        s.Dot(px, s.Y(y), 4.5, dot, $"{text}: {Html.Money(y)} per 1,000");
        var right = toRight ?? px < (s.Left + s.Right) / 2;
        s.Text(px + (right ? 5 : -5), labelY, text, "lbl-b", right ? "start" : "end");
    }

    private static string TradeOffChart(IReadOnlyList<ThresholdPoint> sweep, double? threshold)
    {
        var s = new Svg(460, 280, "Precision, recall and false positive rate by threshold", left: 52, top: 34)
            .XDomain(0, 1)
            .YDomain(0, 1);
        s.Axes(Svg.Ticks(0, 1, 5), Svg.Ticks(0, 1, 5), Svg.Tick, Svg.Tick, "threshold", "rate");
        s.Line(sweep.Select(p => (p.Threshold, p.FalsePositiveRate)), "s3");
        s.Line(sweep.Select(p => (p.Threshold, p.Recall)), "s2");
        s.Line(sweep.Select(p => (p.Threshold, p.Precision)), "s1");
        if (threshold is { } t)
        {
            var px = s.X(t);
            s.Segment(px, 16, px, s.Bottom, "mark");
            var right = px < (s.Left + s.Right) / 2;
            s.Text(px + (right ? 5 : -5), 12, $"contract {Html.Num(t)}", "lbl-b", right ? "start" : "end");
        }
        return s.ToString();
    }

    /// <summary>One metric across a segment column's values: bars, interval whiskers, the overall figure and the bar.</summary>
    private static string SegmentChart(
        EvaluationReport r,
        string column,
        IReadOnlyDictionary<string, SegmentResult> values,
        string metric,
        double width
    )
    {
        var rows = values
            .Where(kv => kv.Value.Metrics.ContainsKey(metric))
            .Select(kv => (Name: kv.Key, kv.Value.N, M: kv.Value.Metrics[metric]))
            .ToList();
        const double rowH = 34;
        const double top = 34;
        var s = new Svg(
            width,
            top + (rows.Count * rowH) + 28,
            $"{metric} by {column}",
            left: 112,
            right: 44,
            top: top,
            bottom: 28
        );
        var overall = r.Metrics.TryGetValue(metric, out var o) ? o.Value : double.NaN;
        var requirement = r.Requirements.FirstOrDefault(q =>
            string.Equals(q.By, column, StringComparison.Ordinal) && q.Metric == metric && (q.Min ?? q.Max) is not null
        )
            ?? r.Requirements.FirstOrDefault(q =>
                string.Equals(q.By, column, StringComparison.Ordinal) && q.Metric == metric
            );
        var verdicts = requirement?.Segments?.ToDictionary(x => x.Segment, x => x.Verdict, StringComparer.Ordinal)
            ?? [];
        var bar = requirement is { MaxGap: null } ? requirement.Min ?? requirement.Max : null;

        double d0 = 0,
            d1;
        if (MetricCatalog.Find(metric) is { Bounded: true })
        {
            d1 = 1;
        }
        else
        {
            IEnumerable<double> extent = rows.SelectMany(x => new[] { x.M.Value, x.M.CiLow, x.M.CiHigh })
                .Append(overall)
                .Append(bar ?? double.NaN)
                .Where(double.IsFinite);
            var list = extent.DefaultIfEmpty(1).ToList();
            d0 = list.Min() < 0 ? -Svg.NiceMax(-list.Min()) : 0;
            d1 = Svg.NiceMax(list.Max());
        }
        s.XDomain(d0, d1).YDomain(0, 1);
        s.Axes(Svg.Ticks(d0, d1, 4), [], Svg.Tick, Svg.Tick);
        for (var i = 0; i < rows.Count; i++)
        {
            var (name, n, m) = rows[i];
            var yc = top + (i * rowH) + (rowH / 2);
            var verdict = verdicts.TryGetValue(name, out var v) ? VerdictText.Word(v) : "none";
            var tip =
                $"{name}: {Html.Num(m.Value)} ({Html.Interval(m.CiLow, m.CiHigh)}), n = {Html.Count(n)}{(verdict == "none" ? string.Empty : " · " + verdict)}";
            s.Text(s.Left - 10, yc - 1, Html.Clip(name, 16), "lbl", "end", name);
            s.Text(s.Left - 10, yc + 11, $"n {Html.Count(n)}", "lbl-m", "end");
            if (double.IsFinite(m.Value))
            {
                var x0 = s.X(Math.Min(0, m.Value));
                s.Rect(x0, yc - 7, Math.Max(1, Math.Abs(s.X(m.Value) - s.X(0))), 14, "b-" + verdict, tip, 3);
            }
            s.HWhisker(yc, m.CiLow, m.CiHigh, "wh-ink", 4);
            var end = new[] { m.Value, m.CiHigh }.Where(double.IsFinite).DefaultIfEmpty(d0).Max();
            s.Text(Math.Min(s.X(end) + 6, s.Right + 2), yc + 3.5, Html.Num(m.Value), "lbl-m");
        }
        if (double.IsFinite(overall))
        {
            var ox = s.X(overall);
            s.Segment(ox, top - 6, ox, s.Bottom, "overall");
            s.Text(ox, top - 9, $"overall {Html.Num(overall)}", "lbl-m", Anchor(s, ox));
        }
        if (bar is { } b && requirement is not null)
        {
            var bx = s.X(b);
            s.Segment(bx, 16, bx, s.Bottom, "bar-line");
            s.Text(bx, 12, $"bar {(requirement.Min is not null ? "≥" : "≤")} {Html.Num(b)}", "lbl-b", Anchor(s, bx));
        }
        return s.ToString();
    }

    private static string Anchor(Svg s, double x) =>
        x > s.Right - 40 ? "end"
        : x < s.Left + 40 ? "start"
        : "middle";
}

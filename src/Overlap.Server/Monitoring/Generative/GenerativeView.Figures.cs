using System.Globalization;
using Overlap.Core.Evaluation;
using Overlap.Core.Generative;
using Overlap.Core.Monitoring;
using Overlap.Core.Statements;
using Overlap.Server.Monitoring.Charts;

namespace Overlap.Server.Monitoring.Generative;

// Each check and criterion: its latest figure, the verdict on it, and its trend.
public sealed partial class GenerativeView
{
    private List<GenerativeFigure> BuildFigures(MonitoringReport report)
    {
        var list = new List<GenerativeFigure>();
        foreach (var check in Spec.Checks)
        {
            list.Add(Figure(report, check.Name, "check", $"check.{check.Name}.pass_rate", About(check)));
        }
        foreach (var criterion in Spec.Rubric)
        {
            list.Add(
                Figure(report, criterion.Name, "criterion", $"rubric.{criterion.Name}.pass_rate", criterion.Question)
            );
        }
        return list;
    }

    private GenerativeFigure Figure(MonitoringReport report, string name, string kind, string metric, string about)
    {
        var measured = report
            .Windows.Select(w => (w.Start, Value: w.Evaluation?.Metrics.GetValueOrDefault(metric)))
            .Where(x => x.Value is { N: > 0 } v && double.IsFinite(v.Value))
            .Select(x => (x.Start, Value: x.Value!))
            .ToList();
        var points = FeatureCharts.KeyMetric(report, metric);
        if (measured.Count == 0)
        {
            var why = Latest?.Evaluation?.Metrics.GetValueOrDefault(metric)?.Reason
                ?? $"no {Contract.Words.Output} of the last 30 days has a result on {name} yet";
            return new GenerativeFigure(
                name,
                kind,
                metric,
                about,
                why,
                "no result yet",
                Phrasing.Capitalize(why) + ".",
                "No trend without a figure.",
                points
            );
        }
        var (start, m) = measured[^1];
        var latest =
            $"{GenerativeText.Figure(metric, m)} of {GenerativeText.Outputs(Contract, m.N)}, {When(start)}"
            + (m.N < MinSamples ? $"; {GenerativeText.NotEnough(m.N, MinSamples)}" : "");
        var requirement = report
            .Windows.First(w => w.Start == start)
            .Evaluation!.Requirements.FirstOrDefault(r =>
                r.Metric == metric && r.Verdict != Core.Evaluation.Verdict.Skipped
            );
        var (verdict, statement) = requirement is null
            ? (
                "no requirement",
                Phrasing.Result(metric, m.Value, m.CiLow, m.CiHigh, Contract.Confidence, Contract.Words)
            )
            : (requirement.Verdict.ToString().ToLowerInvariant(), requirement.Statement);
        return new GenerativeFigure(
            name,
            kind,
            metric,
            about,
            latest,
            verdict,
            statement,
            Trend(metric, measured),
            points
        );
    }

    /// <summary>The latest figure against the one before it, and whether their intervals overlap.</summary>
    private static string Trend(string metric, List<(DateTimeOffset Start, MetricValue Value)> measured)
    {
        if (measured.Count < 2)
        {
            return "The only window of the last 30 days with a figure, so no trend yet.";
        }
        var (now, before) = (measured[^1].Value, measured[^2].Value);
        var was = $"{GenerativeText.Figure(metric, before)} on {When(measured[^2].Start)}";
        var move = Math.Round(now.Value - before.Value, 9) switch
        {
            > 0 => $"Up from {was}",
            < 0 => $"Down from {was}",
            _ => $"The same as {was}",
        };
        var overlap = now.CiLow <= before.CiHigh && before.CiLow <= now.CiHigh;
        return overlap && now.Value != before.Value
            ? $"{move}; the intervals overlap, so the change may be chance."
            : $"{move}.";
    }

    private static string About(OutputCheck check) =>
        check.Kind switch
        {
            OutputCheckKind.Regex => $"matches /{check.Pattern}/",
            OutputCheckKind.Contains => $"contains {Quoted(check.Texts)}",
            OutputCheckKind.NotContains => $"contains none of {Quoted(check.Texts)}",
            OutputCheckKind.MaxLength => $"at most {Count(check.Length)} characters",
            OutputCheckKind.MinLength => $"at least {Count(check.Length)} characters",
            OutputCheckKind.JsonSchema => $"JSON valid against {check.SchemaPath}",
            OutputCheckKind.SimilarTo => string.Create(
                CultureInfo.InvariantCulture,
                $"as close in meaning to {check.Column} as a cosine of {check.Min}"
            ),
            _ => check.Kind.ToString(),
        };

    private static string Quoted(IReadOnlyList<string> texts) => string.Join(", ", texts.Select(t => $"\"{t}\""));

    private static List<JudgeTrustRow> BuildTrust(MonitoringReport report)
    {
        var trust = report.Windows.LastOrDefault(w => w.Generative is { JudgeTrust.Count: > 0 })?.Generative?.JudgeTrust
            ?? [];
        return [.. trust.Select(Row)];
    }

    /// <summary>
    /// One criterion's agreement in words; the model's grades count only where it can stand in for people (the rule
    /// <see cref="JudgeAgreement.Trusted"/> applies to the window's evaluation), and Core's statement says so when they
    /// do not.
    /// </summary>
    internal static JudgeTrustRow Row(JudgeAgreement a)
    {
        var counts = JudgeAgreement.Trusted([a]).Contains(a.Criterion);
        if (a.Outputs == 0)
        {
            return new JudgeTrustRow(
                a.Criterion,
                "no output graded by both yet",
                "not measured: no output graded by both",
                "not measured: no output graded by both",
                GenerativeText.Verdict(a.Verdict),
                counts,
                a.Statement
            );
        }
        var agreement =
            $"{Phrasing.Percent(a.Share)} of {Phrasing.Count(a.Outputs, "output")} "
            + $"({Phrasing.Percent(a.ShareInterval.Low)} to {Phrasing.Percent(a.ShareInterval.High)})";
        var kappa = double.IsFinite(a.Kappa)
            ? $"{GenerativeText.TwoDecimals(a.Kappa)} ({GenerativeText.TwoDecimals(a.KappaInterval.Low)} to "
                + $"{GenerativeText.TwoDecimals(a.KappaInterval.High)})"
            : "cannot be measured: both gave every output the same verdict";
        var leniency = double.IsFinite(a.Leniency)
            ? $"{GenerativeText.Points(a.Leniency)} ({GenerativeText.Points(a.LeniencyInterval.Low)} to "
                + $"{GenerativeText.Points(a.LeniencyInterval.High)})"
            : "not measured";
        return new JudgeTrustRow(
            a.Criterion,
            agreement,
            kappa,
            leniency,
            GenerativeText.Verdict(a.Verdict),
            counts,
            a.Statement
        );
    }

    private (List<CategoryWindow> Windows, List<FailureCategoryCount> Totals, long Reviewed) BuildCategories(
        MonitoringReport report
    )
    {
        var names = Contract.Review?.FailureCategories ?? [];
        var windows = report.Windows.Where(w => w.Generative is { Outputs: > 0 }).Reverse().ToList();
        var rows = windows
            .Select(w =>
            {
                var g = w.Generative!;
                IReadOnlyList<string> cells =
                [
                    .. names.Select(n =>
                        g.FailureCategories.FirstOrDefault(c => c.Category == n) is { } c
                            ? Cell(c.Count, c.Share)
                            : "not counted"
                    ),
                ];
                return new CategoryWindow(w.Start, g.Outputs, g.Reviewed, cells);
            })
            .ToList();
        long reviewed = windows.Sum(w => (long)w.Generative!.Reviewed);
        var totals = names
            .Select(n =>
            {
                long count = windows.Sum(w =>
                    w.Generative!.FailureCategories.FirstOrDefault(c => c.Category == n)?.Count ?? 0
                );
                var interval = Core.Statistics.Wilson.Interval(count, reviewed, Contract.Confidence);
                return new FailureCategoryCount
                {
                    Category = n,
                    Count = count,
                    Share = new MetricValue(
                        reviewed == 0 ? double.NaN : (double)count / reviewed,
                        interval.Low,
                        interval.High,
                        reviewed
                    )
                    {
                        Reason =
                            reviewed == 0
                                ? $"no {Contract.Words.Output} of the last 30 days has a settled review yet"
                                : null,
                    },
                };
            })
            .ToList();
        return (rows, totals, reviewed);
    }

    /// <summary>"2 (25%, 7% to 59%)", or "0 (nothing reviewed)".</summary>
    internal static string Cell(long count, MetricValue share) =>
        double.IsFinite(share.Value)
            ? $"{Count(count)} ({Phrasing.Percent(share.Value)}, "
                + $"{Phrasing.Percent(share.CiLow)} to {Phrasing.Percent(share.CiHigh)})"
            : $"{Count(count)} (nothing reviewed)";

    private List<UsageWindow> BuildUsage(MonitoringReport report) =>
        [
            .. report
                .Windows.Where(w => w.Generative is { Outputs: > 0 })
                .Reverse()
                .Select(w =>
                {
                    var g = w.Generative!;
                    var metrics = w.Evaluation?.Metrics;
                    string Of(string metric) => GenerativeText.Figure(metric, metrics?.GetValueOrDefault(metric));
                    return new UsageWindow(
                        w.Start,
                        g.Outputs,
                        g.Conversations,
                        GenerativeText.ShareOf(g.Feedback.GetValueOrDefault("regeneration_rate")),
                        GenerativeText.ShareOf(g.Feedback.GetValueOrDefault("edit_rate")),
                        GenerativeText.ShareOf(g.Feedback.GetValueOrDefault("thumbs_down_rate")),
                        Of("tokens_per_output"),
                        Of("cost_per_1000"),
                        Of("latency_p95_ms"),
                        g.Outputs < MinSamples ? GenerativeText.NotEnough(g.Outputs, MinSamples) : null
                    );
                }),
        ];
}

using System.Globalization;
using Spectre.Console;

namespace Overlap.Demo;

/// <summary>The demo's findings in plain words, every figure from <see cref="DemoSummary"/>.</summary>
internal static class DemoReport
{
    public static void Print(IAnsiConsole console, DemoSummary s, string reports)
    {
        var inv = CultureInfo.InvariantCulture;
        string Pct(double? v) => v is { } x ? x.ToString("0.0%", inv) : "–";
        console.WriteLine();
        console.MarkupLine("[bold]What Overlap found[/]");
        console.MarkupLine(
            Markup.Escape(
                string.Create(
                    inv,
                    $"Before release, on {s.BeforeRelease.N:N0} held-out early emails: {s.BeforeRelease.Verdict} (recall {Pct(s.BeforeRelease.Recall)}, false positive rate {Pct(s.BeforeRelease.FalsePositiveRate)})."
                )
            )
        );
        console.MarkupLine(
            Markup.Escape(
                string.Create(
                    inv,
                    $"Production: {s.Replay.Predictions:N0} emails replayed from {s.Replay.From:yyyy-MM-dd} to {s.Replay.To:yyyy-MM-dd}, {s.Replay.Outcomes:N0} true labels arrived later, reviewers decided {s.ReviewDecided:N0} cases; {s.ReviewPending:N0} wait in the review queue for you to decide{(s.ReviewEscalated > 0 ? $", {s.ReviewEscalated:N0} of them escalated" : "")} (the scripted reviewers stop before the last days of mail)."
                )
            )
        );
        if (s.Guard is { } guard)
        {
            console.MarkupLine(Markup.Escape(guard.Statement));
        }
        if (s.AbstainPriced is { } priced)
        {
            console.MarkupLine(Markup.Escape(priced));
        }
        var table = new Table().AddColumns(
            "Window",
            "Emails",
            "Labelled",
            "Verdict",
            $"{s.KeyMetric} realised",
            $"{s.KeyMetric} estimated",
            "Drift"
        );
        foreach (var w in s.Windows.Where(w => w.Predictions > 0))
        {
            table.AddRow(
                w.Start.ToString("yyyy-MM-dd", inv),
                w.Predictions.ToString("N0", inv),
                w.Labelled.ToString("N0", inv),
                w.Verdict ?? "no labels yet",
                w.Realised?.ToString("0.000", inv) ?? "–",
                w.Estimated?.ToString("0.000", inv) ?? "–",
                Markup.Escape(
                    w.Drifted ? "drifted: " + string.Join(", ", w.DriftedColumns)
                    : w.DriftedColumns.Count > 0 ? string.Join(", ", w.DriftedColumns)
                    : "none"
                )
            );
        }
        console.Write(table);
        if (s.EstimateGap is { } gap)
        {
            console.MarkupLine(
                Markup.Escape(
                    string.Create(
                        inv,
                        $"Estimated before labels against realised after: {s.KeyMetric} differs by {gap:0.000} on average (at most {s.EstimateGapMax:0.000}) over the {s.Windows.Count(w => w.Settled)} windows with enough labels to tell (realised interval at most {DemoRun.SettledWidth} wide)."
                    )
                )
            );
        }
        if (s.EstimateCheck is { } check)
        {
            var flagged = s
                .Alerts.Where(a => a.Check == Core.Monitoring.EstimateAlert.Check && a.State == "warning")
                .Select(a => a.Window)
                .Order()
                .ToList();
            console.MarkupLine(
                Markup.Escape(
                    check.Statement
                        + (
                            flagged.Count > 0
                                ? $" The server first flagged it for the window of {flagged[0].ToString("yyyy-MM-dd", inv)}."
                                : ""
                        )
                )
            );
        }
        if (s.Recalibration is { } recalibration)
        {
            console.MarkupLine(Markup.Escape($"Recalibrated: {recalibration}"));
            if (s.EstimateAfterRecalibration is { } after)
            {
                console.MarkupLine(Markup.Escape($"After recalibrating: {after.Statement}"));
            }
        }
        var fired = s.Alerts.Where(a => a.State == "alert").ToList();
        console.MarkupLine(
            Markup.Escape(
                fired.Count == 0
                    ? "No alert fired."
                    : $"Alerts fired: {string.Join("; ", fired.Select(a => $"{a.Check} (window of {a.Window.ToString("yyyy-MM-dd", inv)})"))}."
            )
        );
        if (s.ReviewAgreement is { } agreement)
        {
            // Kappa is undefined when every answer fell in one class (chance agreement is then 1): say so, never "kappa )".
            var kappa =
                s.ReviewKappa is { } k && double.IsFinite(k)
                    ? string.Create(inv, $"Cohen's kappa {k:0.00}, where 0 is chance and 1 is full agreement")
                    : "Cohen's kappa cannot be measured: every answer was the same, so agreement by chance is certain";
            console.MarkupLine(
                Markup.Escape(
                    string.Create(
                        inv,
                        $"Reviewers agreed on {agreement:0%} of the cases two of them decided ({kappa})."
                    )
                )
            );
        }
        if (s.Retrain is { } retrain)
        {
            console.MarkupLine(Markup.Escape(retrain.Statement));
        }
        if (s.Retrained is { } v2)
        {
            console.MarkupLine(
                Markup.Escape(
                    string.Create(
                        inv,
                        $"Model v2 learned from {v2.LearnedFromProduction:N0} production emails labelled by users and reviewers; v1 and v2 compared on the same {v2.Compared:N0} later emails:"
                    )
                )
            );
            foreach (var statement in v2.Statements)
            {
                console.MarkupLine("  " + Markup.Escape(statement));
            }
        }
        foreach (var e in s.Experiments)
        {
            console.MarkupLine(
                Markup.Escape(
                    string.Create(
                        inv,
                        $"Experiment {e.Name}, {e.Treatment} against {e.Control} on live mail from {e.Started:yyyy-MM-dd HH:mm}: {e.Statement}"
                    )
                )
            );
            console.MarkupLine(
                Markup.Escape(
                    e.Served is { } served
                        ? string.Create(
                            inv,
                            $"  Decided on {e.Decided:yyyy-MM-dd HH:mm}; the webhook reached the deployment tool, which now serves {served} to every email."
                        )
                        : "  Still running when the replay ended."
                )
            );
        }
        console.MarkupLine(Markup.Escape($"Reports (HTML and JSON) and summary.json are in {reports}."));
    }
}

using System.Globalization;
using Overlap.Core.Drift;
using Overlap.Core.Evaluation;
using Overlap.Core.Provenance;
using Overlap.Core.Reports;
using Overlap.Core.Statements;
using Spectre.Console;

namespace Overlap.Cli.Output;

/// <summary>The terminal summary of a report: verdict, statements, a requirement table, key figures.</summary>
internal static class TextReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(EvaluationReport report) => Capture(console => Write(console, report, terse: false));

    public static string Render(DriftReport report) => Capture(console => Write(console, report));

    public static void Write(IAnsiConsole console, EvaluationReport report, bool terse)
    {
        if (report.Outputs is { Count: > 0 })
        {
            WriteMatrix(console, report, terse);
            return;
        }
        var colour = Colour(report.Verdict);
        console.MarkupLine(
            Inv,
            $"[bold {colour}]{VerdictText.Headline(report.Verdict)}[/]  [bold]{Markup.Escape(report.Feature)}[/]  {Phrasing.Count(report.N, "example")}{(report.Threshold is { } t ? string.Create(Inv, $", threshold {t:0.###}") : string.Empty)}, {Phrasing.Confidence(report.Confidence)} confidence"
        );
        console.WriteLine();
        foreach (var s in report.Statements)
        {
            console.MarkupLine($"  • {Markup.Escape(s)}");
        }
        console.WriteLine();
        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumn("requirement");
        table.AddColumn("verdict");
        table.AddColumn(new TableColumn("value").RightAligned());
        table.AddColumn("interval");
        table.AddColumn("why");
        foreach (var r in report.Requirements)
        {
            var why = r.Reason
                ?? (
                    r.MoreExamplesNeeded is { } more
                        ? $"~{Phrasing.Count(more, "more labelled example")} would settle it"
                    : r.Segment is { } seg ? $"decided by {seg}"
                    : "—"
                );
            table.AddRow(
                Markup.Escape(VerdictText.Bar(r)),
                $"[{Colour(r.Verdict)}]{VerdictText.Word(r.Verdict)}[/]",
                FigureText.Value(r.Value ?? double.NaN),
                Markup.Escape(
                    FigureText.Interval(
                        r.CiLow ?? double.NaN,
                        r.CiHigh ?? double.NaN,
                        r.Value is null ? "see why" : null
                    )
                ),
                Markup.Escape(why)
            );
        }
        if (report.Requirements.Count > 0)
        {
            console.Write(table);
        }
        if (terse)
        {
            Footer(console, report.Provenance);
            return;
        }
        var metrics = new Table().Border(TableBorder.Simple);
        metrics.AddColumn("metric");
        metrics.AddColumn(new TableColumn("value").RightAligned());
        metrics.AddColumn("interval");
        metrics.AddColumn(new TableColumn("n").RightAligned());
        foreach (var (name, m) in report.Metrics)
        {
            metrics.AddRow(
                name,
                FigureText.Value(m.Value),
                Markup.Escape(FigureText.Interval(m.CiLow, m.CiHigh, m.Reason)),
                m.N.ToString("#,0", Inv)
            );
        }
        console.Write(metrics);
        if (report.Confusion is { } c)
        {
            console.MarkupLine(Inv, $"  confusion: tp {c.Tp:#,0}  fp {c.Fp:#,0}  fn {c.Fn:#,0}  tn {c.Tn:#,0}");
        }
        if (report.Cost is { } cost)
        {
            console.MarkupLine($"  cost: {Markup.Escape(FigureText.Cost(cost))}");
        }
        if (report.Abstain is { Statement: { } abstain })
        {
            console.MarkupLine($"  people instead of the model: {Markup.Escape(abstain)}");
        }
        if (report.Calibration is { } cal)
        {
            console.MarkupLine(Inv, $"  calibration: ECE {Fmt(cal.Ece)}");
        }
        if (report.Fairness is { } fairness)
        {
            console.WriteLine();
            console.MarkupLine("[bold]Fairness[/]");
            foreach (var g in fairness.Groupings)
            {
                foreach (var m in g.Measures)
                {
                    console.MarkupLine(
                        $"  by {Markup.Escape(g.By)}: {m.Metric} {FigureText.Value(m.Value)} ({Markup.Escape(FigureText.Interval(m.CiLow, m.CiHigh, m.Reason))}), {Markup.Escape(FairnessText.Verdict(m))}"
                    );
                }
            }
        }
        if (report.WorstOutputs is { Count: > 0 } worst)
        {
            console.WriteLine();
            console.MarkupLine("[bold]Worst outputs[/]");
            foreach (var w in worst)
            {
                console.MarkupLine(
                    $"  {Markup.Escape(w.Id ?? $"row {w.Row}")}: {Markup.Escape(w.Output is null ? "(no output)" : Clip(w.Output))}"
                );
                foreach (var f in w.Failed)
                {
                    console.MarkupLine($"      ✗ {Markup.Escape(f)}");
                }
            }
        }
        if (report.Judge is { } judge)
        {
            console.WriteLine();
            console.MarkupLine("[bold]Model judge[/]");
            foreach (var line in judge.Lines())
            {
                console.MarkupLine($"  • {Markup.Escape(line)}");
            }
        }
        if (report.Comparison is { } cmp)
        {
            console.WriteLine();
            console.MarkupLine("[bold]Against the baseline[/]");
            foreach (var s in cmp.Statements)
            {
                console.MarkupLine($"  • {Markup.Escape(s)}");
            }
        }
        Footer(console, report.Provenance);
    }

    /// <summary>
    /// A matrix run: the verdict of the whole, one line per output column (its verdict and acceptable rate), then
    /// (unless terse) the table of every figure by column, and what the model judge did on each column.
    /// </summary>
    private static void WriteMatrix(IAnsiConsole console, EvaluationReport report, bool terse)
    {
        var columns = report.Outputs!;
        console.MarkupLine(
            Inv,
            $"[bold {Colour(report.Verdict)}]{VerdictText.Headline(report.Verdict)}[/]  [bold]{Markup.Escape(report.Feature)}[/]  {columns.Count} outputs side by side, {Phrasing.Count(report.N, "case")}, {Phrasing.Confidence(report.Confidence)} confidence"
        );
        console.WriteLine();
        foreach (var c in columns)
        {
            console.MarkupLine(
                $"  [{Colour(c.Report.Verdict)}]{VerdictText.Headline(c.Report.Verdict)}[/]  {Markup.Escape(c.Output)}: {Markup.Escape(c.Report.Statements.Count > 0 ? c.Report.Statements[0] : "")}"
            );
        }
        if (!terse)
        {
            console.WriteLine();
            var table = new Table().Border(TableBorder.Rounded).Expand();
            table.AddColumn("");
            foreach (var c in columns)
            {
                table.AddColumn(Markup.Escape(c.Output));
            }
            foreach (var row in MatrixTable.Rows(report))
            {
                table.AddRow([
                    Markup.Escape(row.Bar ?? row.Name),
                    .. row.Cells.Select(cell =>
                        (
                            cell.Verdict is { } v
                                ? $"[{Colour(v)}]{Markup.Escape(cell.Value)}[/]"
                                : Markup.Escape(cell.Value)
                        ) + $"\n[dim]{Markup.Escape(cell.Interval)}[/]"
                    ),
                ]);
            }
            console.Write(table);
            foreach (var c in columns.Where(c => c.Report.Judge is not null))
            {
                console.WriteLine();
                console.MarkupLine($"[bold]Model judge on {Markup.Escape(c.Output)}[/]");
                foreach (var line in c.Report.Judge!.Lines())
                {
                    console.MarkupLine($"  • {Markup.Escape(line)}");
                }
            }
        }
        Footer(console, report.Provenance);
    }

    public static void Write(IAnsiConsole console, DriftReport report)
    {
        var colour = report.DatasetDrift ? "red" : "green";
        console.MarkupLine(
            Inv,
            $"[bold {colour}]{(report.DatasetDrift ? "DRIFTED" : report.Columns.Count > 0 && report.NotJudged == report.Columns.Count ? "NOT ENOUGH DATA" : "NO DATASET DRIFT")}[/]  {Phrasing.Count(report.ReferenceRows, "reference row")}, {Phrasing.Count(report.CurrentRows, "current row")}"
        );
        console.WriteLine();
        foreach (var s in report.Statements)
        {
            console.MarkupLine($"  • {Markup.Escape(s)}");
        }
        console.WriteLine();
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("column");
        table.AddColumn("kind");
        table.AddColumn("test");
        table.AddColumn(new TableColumn("statistic").RightAligned());
        table.AddColumn(new TableColumn("p-value").RightAligned());
        table.AddColumn(new TableColumn("threshold").RightAligned());
        table.AddColumn("drift");
        foreach (var col in report.Columns)
        {
            table.AddRow(
                Markup.Escape(col.Column),
                col.Kind,
                col.Test,
                Fmt(col.Statistic),
                col.PValue is { } p ? Fmt(p) : "—",
                Fmt(col.Threshold),
                col.DriftVerdict switch
                {
                    true => "[red]yes[/]",
                    false => "no",
                    null => "[yellow]not judged[/]",
                }
            );
        }
        console.Write(table);
        console.WriteLine();
        console.MarkupLine("What the figures mean:");
        foreach (var col in report.Columns)
        {
            console.MarkupLine(
                $"  • {Markup.Escape(col.Column)}: {Markup.Escape(col.Meaning ?? col.Reason ?? "no statistic")}"
            );
        }
        foreach (var text in report.Text)
        {
            console.WriteLine();
            console.MarkupLine(
                Inv,
                $"Text column {Markup.Escape(text.Column)}{(text.Model is null ? string.Empty : $" ({Markup.Escape(text.Model)}: {Phrasing.Count(text.ReferenceSampled, "reference text")} and {Phrasing.Count(text.CurrentSampled, "current text")} embedded; {Markup.Escape(text.MmdInWords() ?? string.Empty)})")}:"
            );
            foreach (var d in text.Descriptors)
            {
                var verdict = d.DriftVerdict switch
                {
                    true => "[red]drifted[/]",
                    false => "stable",
                    null => "[yellow]not judged[/]",
                };
                console.MarkupLine(
                    $"  • {Markup.Escape(d.Column)} {verdict}: {Markup.Escape(d.Meaning ?? d.Reason ?? "no statistic")}"
                );
            }
        }
        Footer(console, report.Provenance);
    }

    // What produced the figures, dim at the end so it never competes with the verdict.
    private static void Footer(IAnsiConsole console, RunProvenance? provenance)
    {
        if (provenance is null)
        {
            return;
        }
        console.WriteLine();
        foreach (var (key, value) in ProvenanceFacts.Of(provenance))
        {
            console.MarkupLine($"[dim]{Markup.Escape(key)}: {Markup.Escape(value)}[/]");
        }
    }

    private static string Colour(Verdict verdict) =>
        verdict switch
        {
            Verdict.Pass => "green",
            Verdict.Fail => "red",
            Verdict.Inconclusive => "yellow",
            _ => "grey",
        };

    private static string Fmt(double v) => double.IsFinite(v) ? v.ToString("0.####", Inv) : "—";

    private static string Capture(Action<IAnsiConsole> write)
    {
        var writer = new StringWriter(Inv);
        var console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            }
        );
        console.Profile.Width = 120;
        write(console);
        return writer.ToString();
    }

    private static string Clip(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length > 100 ? line[..100] + "…" : line;
    }
}

using Overlap.Core.Evaluation;

namespace Overlap.Core.Reports;

/// <summary>One cell of a matrix: an output column's figure, its interval, and the verdict of the requirement on it.</summary>
/// <param name="Value">The figure as text ("0.6364"), "not measurable" when it has none, "—" when the column lacks it.</param>
/// <param name="Interval">The interval as text ("0.4651 – 0.7755"), or why there is none.</param>
/// <param name="Verdict">The verdict of the requirement on this row in this column; null when no requirement is on it.</param>
public sealed record MatrixCell(string Value, string Interval, Verdict? Verdict);

/// <summary>One row of a matrix: a metric (with the bar of the requirement on it, if any) or a requirement by segment.</summary>
/// <param name="Name">The metric's name (<c>acceptable_rate</c>, <c>check.greets.pass_rate</c>, …).</param>
/// <param name="Bar">The requirement's bar ("acceptable_rate ≥ 0.6"), or null when no requirement is on the row.</param>
/// <param name="Cells">One cell per output column, in the matrix's order.</param>
/// <param name="Requirement">
/// True for a row of a requirement no metric row carries (by segment, a gap, production-only): its cells are the
/// requirement's figure, not the metric's overall one.
/// </param>
public sealed record MatrixRow(string Name, string? Bar, IReadOnlyList<MatrixCell> Cells, bool Requirement = false);

/// <summary>
/// The rows every view of a matrix run shows (Markdown, HTML, the dashboard): the acceptable rate, each check, each
/// rubric criterion, the other metrics, then the requirements no metric row carries (by segment, gaps, production-only
/// ones); each cell the figure, its interval and the verdict of the requirement on it.
/// </summary>
public static class MatrixTable
{
    /// <summary>The rows of a matrix report (<see cref="EvaluationReport.Outputs"/>); none for a single evaluation.</summary>
    public static IReadOnlyList<MatrixRow> Rows(EvaluationReport matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return matrix.Outputs is { Count: > 0 } columns ? Rows(columns) : [];
    }

    /// <summary>
    /// The rows of reports side by side, one column each (a single run is a matrix of one column); the reports are
    /// expected to be judged by the same contract, and the first one's requirements name the rows.
    /// </summary>
    public static IReadOnlyList<MatrixRow> Rows(IReadOnlyList<OutputColumnReport> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            return [];
        }
        var reports = columns.Select(c => c.Report).ToList();
        var names = reports.SelectMany(r => r.Metrics.Keys).Distinct(StringComparer.Ordinal).OrderBy(Rank).ToList();
        var rows = new List<MatrixRow>();
        foreach (var name in names)
        {
            var bar = reports[0].Requirements.FirstOrDefault(q => Overall(q, name));
            rows.Add(
                new MatrixRow(
                    name,
                    bar is null ? null : VerdictText.Bar(bar),
                    [
                        .. reports.Select(r =>
                        {
                            var verdict = r.Requirements.FirstOrDefault(q => Overall(q, name))?.Verdict;
                            return r.Metrics.TryGetValue(name, out var m)
                                ? new MatrixCell(
                                    FigureText.Value(m.Value),
                                    FigureText.Interval(m.CiLow, m.CiHigh, m.Reason),
                                    verdict
                                )
                                : new MatrixCell(
                                    "—",
                                    verdict is null ? "not measured" : "judged in production",
                                    verdict
                                );
                        }),
                    ]
                )
            );
        }
        for (var i = 0; i < reports[0].Requirements.Count; i++)
        {
            var first = reports[0].Requirements[i];
            if (Overall(first, first.Metric) && names.Contains(first.Metric))
            {
                continue;
            }
            rows.Add(
                new MatrixRow(
                    first.Metric,
                    VerdictText.Bar(first),
                    [
                        .. reports.Select(r =>
                            r.Requirements.Count > i && r.Requirements[i] is var q
                                ? new MatrixCell(
                                    q.Value is { } v ? FigureText.Value(v) : "—",
                                    FigureText.Interval(q.CiLow ?? double.NaN, q.CiHigh ?? double.NaN, q.Reason),
                                    q.Verdict
                                )
                                : new MatrixCell("—", "not measured", null)
                        ),
                    ],
                    Requirement: true
                )
            );
        }
        return rows;
    }

    private static bool Overall(RequirementResult q, string metric) =>
        q.Metric == metric && q.By is null && q.MaxGap is null;

    /// <summary>The acceptable rate first, then checks, then rubric criteria, then the rest, each group in its order.</summary>
    private static int Rank(string name) =>
        name == "acceptable_rate" ? 0
        : name.StartsWith("check.", StringComparison.Ordinal) ? 1
        : name.StartsWith("rubric.", StringComparison.Ordinal) ? 2
        : 3;
}

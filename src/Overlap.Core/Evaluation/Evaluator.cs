using System.Globalization;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Generative;
using Overlap.Core.Metrics;
using Overlap.Core.Statements;

namespace Overlap.Core.Evaluation;

/// <summary>
/// An evaluation run: a scored, labelled data set judged against its contract. Computes every metric of the
/// task with its interval, overall and for every value of every segment column, judges each requirement,
/// and writes the statements a stakeholder reads.
/// </summary>
public static partial class Evaluator
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The columns an evaluation reads from a data file, and the rules their values must meet.</summary>
    /// <param name="contract">The contract naming the columns.</param>
    /// <param name="source">The file's name, for error messages.</param>
    public static TableReadOptions ReadOptions(Contract contract, string source)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract.Task == TaskKind.Generative
            ? GenerativeCases.ReadOptions(contract, source)
            : EvaluationInputs.ReadOptions(contract, source);
    }

    /// <summary>The columns read from a baseline file: the id, the label and the baseline model's score or decision.</summary>
    /// <param name="contract">The contract naming the columns.</param>
    /// <param name="source">The file's name, for error messages.</param>
    public static TableReadOptions BaselineReadOptions(Contract contract, string source)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract.Task == TaskKind.Generative
            ? GenerativeCases.ReadOptions(contract, source, baseline: true)
            : EvaluationInputs.ReadOptions(contract, source, withSegments: false);
    }

    /// <summary>
    /// Whether the contract accounts for <paramref name="text"/> as a label or prediction: one of a binary contract's
    /// labels (or 1/0, true/false, yes/no when it names none), one of a multiclass contract's classes when it lists them;
    /// a regression value is checked as a number by the column rules instead. Evaluation refuses a row that fails this.
    /// </summary>
    public static bool NamesLabel(Contract contract, string text)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(text);
        return EvaluationInputs.Named(contract, text);
    }

    /// <summary>Evaluates <paramref name="table"/> against <paramref name="contract"/>.</summary>
    /// <exception cref="DataException">The data does not fit the contract (unknown label values, no labelled rows, …).</exception>
    public static EvaluationReport Evaluate(Contract contract, Table table, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(table);
        options ??= new EvaluationOptions();
        if (contract.Task == TaskKind.Generative)
        {
            var generative = EvaluateGenerative(contract, table, options);
            return generative with { Statements = [.. generative.Statements, .. MissingGroups(generative)] };
        }
        var label = Require(table, contract.Columns.Label, "label");
        var rows = EvaluationInputs.LabelledRows(label);
        if (rows.Length == 0)
        {
            throw new DataException(
                table.RowCount == 0
                    ? "the data has a header but no rows; an evaluation needs the scored examples"
                    : $"none of the {table.RowCount:#,0} rows has a label in column '{label.Name}'; an evaluation needs labelled examples"
            );
        }
        if (
            options.Frequencies is { } frequencies
            && (contract.Task != TaskKind.Binary || frequencies.Count != table.RowCount)
        )
        {
            throw new ArgumentException("Frequencies are for binary tasks, one per row of the table.", nameof(options));
        }
        var report = contract.Task switch
        {
            TaskKind.Binary => EvaluateBinary(contract, table, rows, options),
            TaskKind.Multiclass => EvaluateMulticlass(contract, table, rows, options),
            _ => EvaluateRegression(contract, table, rows, options),
        };
        var unlabelled = table.RowCount - rows.Length;
        if (unlabelled > 0)
        {
            report = report with
            {
                Statements =
                [
                    .. report.Statements,
                    string.Create(
                        Inv,
                        $"{unlabelled:#,0} of {table.RowCount:#,0} rows have no label yet and were left out."
                    ),
                ],
            };
        }
        return report with { Statements = [.. report.Statements, .. MissingGroups(report)] };
    }

    /// <summary>One sentence per segment column with rows that have no value, so the "(missing)" group is never a surprise.</summary>
    private static IEnumerable<string> MissingGroups(EvaluationReport report) =>
        report
            .Segments.Where(s => s.Value.ContainsKey(SegmentResult.Missing))
            .Select(s =>
                string.Create(
                    Inv,
                    $"{s.Value[SegmentResult.Missing].N:#,0} examples have no value in {s.Key}; they are grouped as '{SegmentResult.Missing}'."
                )
            );

    /// <summary>Judges every requirement and assembles the report's common parts.</summary>
    private static EvaluationReport Finish(
        Contract contract,
        EvaluationReport partial,
        IEnumerable<string> lead,
        EvaluationOptions options
    )
    {
        if (options.ProductionMetrics is { Count: > 0 } production)
        {
            var metrics = new Dictionary<string, MetricValue>(partial.Metrics, StringComparer.Ordinal);
            foreach (var (name, value) in production)
            {
                metrics[name] = value;
            }
            partial = partial with { Metrics = metrics };
        }
        if (options.ProductionSegments is { Count: > 0 } bySegment)
        {
            partial = partial with { Segments = WithProductionSegments(partial.Segments, bySegment) };
        }
        var requirements = contract
            .Requirements.Select(r => RequirementJudge.Judge(r, contract, partial.Metrics, partial.N, partial.Segments))
            .Concat(FairnessRequirements(contract, partial))
            .ToList();
        var verdict = Judge.Worst(requirements.Select(r => r.Verdict));
        var statements = new List<string>(lead);
        if (partial.TrivialBaseline is { } trivial)
        {
            // A model that does not beat doing nothing is the first thing a reader needs to know.
            statements.Insert(trivial.Beats ? statements.Count : 0, trivial.Statement);
        }
        statements.Add(Tally(requirements));
        statements.AddRange(
            requirements.Where(r => r.Verdict is Verdict.Fail or Verdict.Inconclusive).Select(r => r.Statement)
        );
        return partial with { Verdict = verdict, Requirements = requirements, Statements = statements };
    }

    /// <summary>
    /// The segment results with production's per-segment metrics added: a value the labelled rows also hold keeps its N
    /// and gains the metrics; a value only production has comes in as production gave it.
    /// </summary>
    private static Dictionary<string, IReadOnlyDictionary<string, SegmentResult>> WithProductionSegments(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, SegmentResult>> segments,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, SegmentResult>> production
    )
    {
        var merged = segments.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        foreach (var (column, values) in production)
        {
            var groups = merged.TryGetValue(column, out var had)
                ? had.ToDictionary(g => g.Key, g => g.Value, StringComparer.Ordinal)
                : new Dictionary<string, SegmentResult>(StringComparer.Ordinal);
            foreach (var (value, result) in values)
            {
                groups[value] = groups.TryGetValue(value, out var group)
                    ? group with
                    {
                        Metrics = group
                            .Metrics.Concat(result.Metrics.Where(m => !group.Metrics.ContainsKey(m.Key)))
                            .ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal),
                    }
                    : result;
            }
            merged[column] = groups;
        }
        return merged;
    }

    /// <summary>The contract's fairness bars as judged in the report's fairness section, after its other requirements.</summary>
    private static IEnumerable<RequirementResult> FairnessRequirements(Contract contract, EvaluationReport report)
    {
        if (contract.Fairness is not { } policy || report.Fairness is not { } fairness)
        {
            yield break;
        }
        foreach (var requirement in policy.Requirements)
        {
            var grouping = fairness.Groupings.First(g =>
                g.Attributes.SequenceEqual(requirement.By, StringComparer.Ordinal)
            );
            var result = grouping.Measures.FirstOrDefault(m => m.Metric == requirement.Metric);
            if (result is not null)
            {
                yield return Fairness.FairnessJudge.Requirement(result, requirement);
            }
        }
    }

    private static string Tally(IReadOnlyList<RequirementResult> requirements)
    {
        var judged = requirements.Where(r => r.Verdict != Verdict.Skipped).ToList();
        if (judged.Count == 0)
        {
            return "The contract sets no requirement that can be judged on this data.";
        }
        var pass = judged.Count(r => r.Verdict == Verdict.Pass);
        var fail = judged.Count(r => r.Verdict == Verdict.Fail);
        var open = judged.Count - pass - fail;
        var parts = new List<string> { string.Create(Inv, $"{pass} of {judged.Count} requirements met") };
        if (fail > 0)
        {
            parts.Add(string.Create(Inv, $"{fail} not met"));
        }
        if (open > 0)
        {
            parts.Add(string.Create(Inv, $"{open} not settled yet (more labelled data needed)"));
        }
        var skipped = requirements.Count - judged.Count;
        var tail = skipped > 0 ? string.Create(Inv, $"; {skipped} judged only in production") : string.Empty;
        return string.Join(", ", parts) + tail + ".";
    }

    private static Column Require(Table table, string name, string role) =>
        table.Find(name)
        ?? throw new DataException(
            $"the data has no {role} column '{name}'; rename the column or fix columns.{role} in the contract"
        );

    private static MetricValue Report(MetricEstimate m) => new(m.Value, m.Interval.Low, m.Interval.High, m.N);

    /// <summary>The kept metrics, each undefined one with the reason in the contract's words.</summary>
    private static Dictionary<string, MetricValue> Report(
        IReadOnlyDictionary<string, MetricEstimate> metrics,
        Func<string, bool> keep,
        ContractWords words
    )
    {
        var result = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        foreach (var (name, m) in metrics)
        {
            if (keep(name))
            {
                result[name] = double.IsNaN(m.Value)
                    ? Report(m) with
                    {
                        Reason = Phrasing.Undefined(name, words),
                    }
                    : Report(m);
            }
        }
        return result;
    }

    /// <summary>The report's segments: per column, per value, in the engine's order.</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, SegmentResult>> SegmentResults(
        IEnumerable<(string Column, IEnumerable<(string Value, SegmentResult Result)> Values)> columns
    )
    {
        var segments = new Dictionary<string, IReadOnlyDictionary<string, SegmentResult>>(StringComparer.Ordinal);
        foreach (var (column, values) in columns)
        {
            var byValue = new Dictionary<string, SegmentResult>(StringComparer.Ordinal);
            foreach (var (value, result) in values)
            {
                byValue[value] = result;
            }
            segments[column] = byValue;
        }
        return segments;
    }

    private static IReadOnlyList<SegmentColumn> Segments(Contract contract, Table table, int[] rows)
    {
        var names = contract
            .Columns.Segments.Concat(contract.Requirements.Select(r => r.By).OfType<string>())
            .Distinct(StringComparer.Ordinal);
        return [.. names.Select(n => EvaluationInputs.Segment(Require(table, n, "segments"), rows))];
    }

    private static string Phrase(double value) => Phrasing.Number(value);
}

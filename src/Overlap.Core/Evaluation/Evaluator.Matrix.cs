using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Generative;
using Overlap.Core.Reports;

namespace Overlap.Core.Evaluation;

// Several output columns of the same cases (prompt versions × models) judged side by side by one generative contract.
public static partial class Evaluator
{
    /// <summary>
    /// The columns a matrix evaluation reads: the contract's, every output column, and for each output column other
    /// than the contract's own its people's grades in <c>rubric.&lt;name&gt;.&lt;column&gt;</c> (optional).
    /// </summary>
    public static TableReadOptions MatrixReadOptions(Contract contract, IReadOnlyList<string> outputs, string source)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(outputs);
        var options = GenerativeCases.ReadOptions(contract, source);
        var rules = new Dictionary<string, ColumnRule>(options.Rules, StringComparer.Ordinal);
        var optional = new List<string>(options.Optional);
        foreach (var output in outputs.Where(o => o != contract.Columns.Output))
        {
            rules.TryAdd(output, new ColumnRule(ColumnKind.Categorical, Role: "output"));
            foreach (var criterion in contract.Generative!.Rubric)
            {
                var grades = GenerativeCases.GradeColumn(criterion.Name, output);
                rules.TryAdd(grades, new ColumnRule(ColumnKind.Categorical, Role: "grade"));
                optional.Add(grades);
            }
        }
        return new TableReadOptions
        {
            Columns = [.. rules.Keys],
            Rules = rules,
            Optional = optional,
            Source = source,
        };
    }

    /// <summary>
    /// Judges each output column of <paramref name="table"/> as the contract's output, in the order given, and returns
    /// the matrix: a report whose <see cref="EvaluationReport.Outputs"/> holds one full report per column, whose verdict
    /// is the worst of theirs and whose statements say each column's verdict and acceptable rate. The contract's own
    /// output column takes people's grades from <c>rubric.&lt;name&gt;</c>, any other from
    /// <c>rubric.&lt;name&gt;.&lt;column&gt;</c>.
    /// </summary>
    /// <param name="contract">A generative contract.</param>
    /// <param name="table">The cases, read with <see cref="MatrixReadOptions"/>.</param>
    /// <param name="outputs">The output columns.</param>
    /// <param name="options">Resamples, seed and the generative inputs every column shares.</param>
    /// <param name="columnOptions">
    /// Optional, one per output column: that column's generative inputs (its model judge's grades and the criteria they
    /// count on), in place of <paramref name="options"/>' own.
    /// </param>
    /// <exception cref="ArgumentException">The contract is not generative, or no output column is given.</exception>
    public static EvaluationReport EvaluateMatrix(
        Contract contract,
        Table table,
        IReadOnlyList<string> outputs,
        EvaluationOptions? options = null,
        IReadOnlyList<GenerativeOptions>? columnOptions = null
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(outputs);
        if (contract.Task != TaskKind.Generative || outputs.Count == 0)
        {
            throw new ArgumentException("A matrix needs a generative contract and at least one output column.");
        }
        if (columnOptions is not null && columnOptions.Count != outputs.Count)
        {
            throw new ArgumentException("Give one set of column options per output column, or none.");
        }
        options ??= new EvaluationOptions();
        var shared = options.Generative ?? new GenerativeOptions();
        var columns = new List<OutputColumnReport>(outputs.Count);
        for (var i = 0; i < outputs.Count; i++)
        {
            var generative = (columnOptions?[i] ?? shared) with { GradeSuffix = GradeSuffix(contract, outputs[i]) };
            var report = Evaluate(ForOutput(contract, outputs[i]), table, options with { Generative = generative });
            columns.Add(new OutputColumnReport(outputs[i], report));
        }
        return new EvaluationReport
        {
            Feature = contract.Feature,
            Task = "generative",
            Verdict = Judge.Worst(columns.Select(c => c.Report.Verdict)),
            N = table.RowCount,
            Confidence = contract.Confidence,
            Metrics = new Dictionary<string, MetricValue>(StringComparer.Ordinal),
            Segments = new Dictionary<string, IReadOnlyDictionary<string, SegmentResult>>(StringComparer.Ordinal),
            Requirements = [],
            Statements =
            [
                .. columns.Select(c =>
                    $"{c.Output}: {VerdictText.Headline(c.Report.Verdict)}. {(c.Report.Statements.Count > 0 ? c.Report.Statements[0] : "")}".TrimEnd()
                ),
            ],
            Outputs = columns,
        };
    }

    /// <summary>The contract as it judges one output column of a matrix: the same, with that column as its output.</summary>
    public static Contract ForOutput(Contract contract, string output)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract with { Columns = contract.Columns with { Output = output } };
    }

    /// <summary>
    /// Where people's grades of an output column are: null for the contract's own output column (<c>rubric.&lt;name&gt;</c>),
    /// else the column's name (<c>rubric.&lt;name&gt;.&lt;column&gt;</c>).
    /// </summary>
    public static string? GradeSuffix(Contract contract, string output)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return output == contract.Columns.Output ? null : output;
    }
}

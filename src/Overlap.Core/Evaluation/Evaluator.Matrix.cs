using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Generative;

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
    /// Judges each output column of <paramref name="table"/> as the contract's output, in the order given: one report
    /// per column. The contract's own output column takes people's grades from <c>rubric.&lt;name&gt;</c>, any other
    /// from <c>rubric.&lt;name&gt;.&lt;column&gt;</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The contract is not generative, or no output column is given.</exception>
    public static IReadOnlyList<EvaluationReport> EvaluateMatrix(
        Contract contract,
        Table table,
        IReadOnlyList<string> outputs,
        EvaluationOptions? options = null
    )
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(outputs);
        if (contract.Task != TaskKind.Generative || outputs.Count == 0)
        {
            throw new ArgumentException("A matrix needs a generative contract and at least one output column.");
        }
        options ??= new EvaluationOptions();
        var generative = options.Generative ?? new GenerativeOptions();
        return
        [
            .. outputs.Select(output =>
                Evaluate(
                    contract with
                    {
                        Columns = contract.Columns with { Output = output },
                    },
                    table,
                    options with
                    {
                        Generative = generative with
                        {
                            GradeSuffix = output == contract.Columns.Output ? null : output,
                        },
                    }
                )
            ),
        ];
    }
}

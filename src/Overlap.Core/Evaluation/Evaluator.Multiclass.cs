using Overlap.Core.Contracts;
using Overlap.Core.Data;

namespace Overlap.Core.Evaluation;

public static partial class Evaluator
{
    private static EvaluationReport EvaluateMulticlass(Contract contract, Table table, int[] rows, EvaluationOptions options)
    {
        _ = table;
        _ = rows;
        _ = options;
        throw new DataException($"'{contract.Feature}' is a multiclass contract; multiclass evaluation is not available yet");
    }

    private static EvaluationReport EvaluateRegression(Contract contract, Table table, int[] rows, EvaluationOptions options)
    {
        _ = table;
        _ = rows;
        _ = options;
        throw new DataException($"'{contract.Feature}' is a regression contract; regression evaluation is not available yet");
    }
}

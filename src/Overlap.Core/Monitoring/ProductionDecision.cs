using Overlap.Core.Contracts;
using Overlap.Core.Events;

namespace Overlap.Core.Monitoring;

/// <summary>What the model decided for a stored prediction, as a label of the contract.</summary>
public static class ProductionDecision
{
    /// <summary>
    /// The decision it sent (as the contract names it), else for a binary contract its score against the threshold;
    /// null when it sent neither.
    /// </summary>
    public static string? Of(Contract contract, string? prediction, double? score)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return prediction is { } sent ? EventContractCheck.Normalize(contract, sent) ?? sent
            : contract.Task == TaskKind.Binary && score is { } s && !double.IsNaN(s)
                ? (s >= contract.Threshold ? contract.Labels.Positive ?? "1" : contract.Labels.Negative ?? "0")
            : null;
    }
}

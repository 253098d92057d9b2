using Overlap.Core.Sampling;
using Overlap.Events;

namespace Overlap.Storage;

/// <summary>
/// Why a prediction enters its feature's review queue, the same in every store: the contract's workflow guard sent it
/// to people (its route, <c>escalate</c> or <c>abstain</c>, whatever the contract's review policy), else its score lies
/// in the review band (<c>uncertain</c>), else it is in the stable sample (<c>sample</c>).
/// </summary>
public static class ReviewReasons
{
    /// <summary>The workflow routes that send a call to people; each is also the item's reason.</summary>
    public static IReadOnlyList<string> Workflow { get; } = [WorkflowRoutes.Escalate, WorkflowRoutes.Abstain];

    /// <summary>The reason <paramref name="prediction"/> is routed, or null when it is not.</summary>
    public static string? Of(StoredPrediction prediction, bool inBand, double sample)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        return prediction.Workflow?.Route is { } route && Workflow.Contains(route) ? route
            : inBand ? "uncertain"
            : StableSample.Takes(prediction.Id, sample) ? "sample"
            : null;
    }
}

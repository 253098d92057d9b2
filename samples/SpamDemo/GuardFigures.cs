using Overlap.Core.Contracts;
using Overlap.Core.Monitoring;
using Overlap.Core.Statements;
using Overlap.Events;

namespace Overlap.Demo;

/// <summary>What the mail server's guard did with the replayed emails, as the server counted it from their workflow traces.</summary>
/// <param name="Guarded">Emails the guard decided (predictions with a workflow trace).</param>
/// <param name="Routes">Emails per route, every route (0 for one none took).</param>
/// <param name="AbstentionRate">The share left to a person (route abstain).</param>
/// <param name="AbstentionLow">Its Wilson interval's lower end, at the contract's confidence.</param>
/// <param name="AbstentionHigh">Its upper end.</param>
/// <param name="BandLow">The abstain band's lowest score, when the contract has a band.</param>
/// <param name="BandHigh">Its highest score.</param>
/// <param name="Statement">The figures in words.</param>
internal sealed record GuardFigures(
    long Guarded,
    IReadOnlyDictionary<string, long> Routes,
    double AbstentionRate,
    double AbstentionLow,
    double AbstentionHigh,
    double? BandLow,
    double? BandHigh,
    string Statement
)
{
    /// <summary>The figures of <paramref name="report"/> (the replay's windows merged); null when no email went through the guard.</summary>
    public static GuardFigures? Of(Contract contract, WorkflowReport? report)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (report is null || report.Guarded == 0)
        {
            return null;
        }
        var words = contract.Words;
        var rate = report.Metrics["abstention_rate"];
        var band = contract.Workflow?.Abstain;
        var (abstained, rejected, direct) = (
            report.Routes[WorkflowRoutes.Abstain],
            report.Routes[WorkflowRoutes.Reject],
            report.Routes[WorkflowRoutes.Direct]
        );
        // "The guard left 302 of 3,493 emails (8.6%, 7.7% to 9.6% at 95% confidence) to a person: …"
        var left =
            $"The guard left {abstained:#,0} of {Phrasing.Count(report.Guarded, words.Example)} "
            + $"({Phrasing.Percent(rate.Value)}, {Phrasing.Percent(rate.CiLow)} to {Phrasing.Percent(rate.CiHigh)} at "
            + $"{Phrasing.Confidence(contract.Confidence)} confidence) to a person: "
            + (
                band is null
                    ? "the contract has no abstain band, so none was."
                    : $"their scores were in the contract's uncertain band, {Phrasing.Number(band.Low)} to {Phrasing.Number(band.High)}, where a person decides."
            );
        var refused =
            rejected == 0
                ? $" No {words.Example} failed the contract's input expectations"
                : $" {Phrasing.Count(rejected, words.Example)} failed the contract's input expectations and were left unscored";
        var decided =
            $"; the model decided {direct:#,0} by the threshold ({Phrasing.Number(contract.Threshold)}) on its own";
        // With on_guard_error: open a guard that fails decides by the threshold; a score that is not a number escalates.
        var escalated = report.Guarded - abstained - rejected - direct;
        decided +=
            escalated > 0 ? $", and {escalated:#,0} went to a person because the guard could not decide them." : ".";
        return new GuardFigures(
            report.Guarded,
            report.Routes,
            rate.Value,
            rate.CiLow,
            rate.CiHigh,
            band?.Low,
            band?.High,
            left + refused + decided
        );
    }
}

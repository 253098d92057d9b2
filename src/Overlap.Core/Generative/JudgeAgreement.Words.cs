using System.Globalization;
using Overlap.Core.Statements;

namespace Overlap.Core.Generative;

public sealed partial record JudgeAgreement
{
    private static string Describe(JudgeAgreement a)
    {
        var name = a.Criterion;
        var required = Phrasing.Percent(a.MinAgreement);
        if (a.Outputs == 0)
        {
            return $"No output has been graded by both people and the model judge on {name} yet, so the model "
                + $"judge's grades do not count toward verdicts on {name}; grade some of the outputs it graded by hand "
                + $"to find out whether it agrees with people at least {required} of the time.";
        }
        var figures = Figures(a);
        return a.Verdict switch
        {
            JudgeAgreementVerdict.CanStandIn => $"The model judge can stand in for people on {name}: {figures}.",
            JudgeAgreementVerdict.CannotStandIn => $"The model judge cannot stand in for people on {name}: {figures}; "
                + $"that is below the {required} required, so its grades do not count toward verdicts on {name}.",
            _ => $"Not enough data yet to say whether the model judge can stand in for people on {name}: {figures}; "
                + (
                    a.MoreNeeded is { } more
                        ? $"about {Phrasing.Count(more, "more output")} graded by both would settle it"
                        : "more outputs graded by both are needed to settle it"
                )
                + $" against the {required} required. Until then its grades do not count toward verdicts on {name}.",
        };
    }

    /// <summary>"it agrees with them on 92% of 180 outputs (87% to 95%), kappa 0.81, and passes 3 points more often …".</summary>
    private static string Figures(JudgeAgreement a)
    {
        var agrees =
            $"it agrees with them on {Phrasing.Percent(a.Share)} of {Phrasing.Count(a.Outputs, "output")} "
            + $"({Phrasing.Percent(a.ShareInterval.Low)} to {Phrasing.Percent(a.ShareInterval.High)})";
        var kappa = double.IsNaN(a.Kappa)
            ? "kappa cannot be measured because both gave every one of them the same verdict"
            : $"kappa {TwoDecimals(a.Kappa)}";
        if (a.Scale == RubricScale.OneToFive)
        {
            kappa +=
                $", the very same grade on {Phrasing.Percent(a.ExactShare)}"
                + (double.IsNaN(a.WeightedKappa) ? "" : $" (weighted kappa {TwoDecimals(a.WeightedKappa)})");
        }
        return $"{agrees}, {kappa}, and {LeniencyWords(a)}";
    }

    private static string LeniencyWords(JudgeAgreement a)
    {
        var points = (int)Math.Round(a.Leniency * 100, MidpointRounding.AwayFromZero);
        var range = $"({Points(a.LeniencyInterval.Low)} to {Points(a.LeniencyInterval.High)})";
        return points switch
        {
            0 => $"passes as often as they do {range}",
            > 0 => $"passes {PointsWord(points)} more often than they do {range}",
            _ => $"passes {PointsWord(-points)} less often than they do {range}",
        };
    }

    private static string PointsWord(int points) => points == 1 ? "1 point" : $"{points} points";

    /// <summary>A difference of shares in percentage points, with a true minus sign: −0.012 → "−1".</summary>
    private static string Points(double difference)
    {
        var points = (int)Math.Round(difference * 100, MidpointRounding.AwayFromZero);
        return points < 0
            ? "\u2212" + (-points).ToString(CultureInfo.InvariantCulture)
            : points.ToString(CultureInfo.InvariantCulture);
    }

    private static string TwoDecimals(double value) =>
        value.ToString("0.00", CultureInfo.InvariantCulture).Replace("-", "\u2212", StringComparison.Ordinal);
}

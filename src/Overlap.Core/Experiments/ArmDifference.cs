using MathNet.Numerics.Distributions;
using Overlap.Core.Statistics;

namespace Overlap.Core.Experiments;

/// <summary>
/// The difference treatment − control of one metric, with two intervals:
/// <list type="bullet">
/// <item>a fixed-horizon interval, valid when it is read once, at the planned sample size;</item>
/// <item>an always-valid interval (a confidence sequence), valid however often it is read, so a team may look every
/// day and act the first time it excludes zero.</item>
/// </list>
/// </summary>
/// <param name="Control">The control arm's figure.</param>
/// <param name="Treatment">The treatment arm's figure.</param>
/// <param name="FixedHorizon">The fixed-horizon interval of the difference; unknown without enough data.</param>
/// <param name="AlwaysValid">The always-valid interval of the difference; unknown without enough data.</param>
public sealed record ArmDifference(double Control, double Treatment, Interval FixedHorizon, Interval AlwaysValid)
{
    /// <summary>Treatment − control.</summary>
    public double Estimate => Treatment - Control;

    /// <summary>
    /// The difference of two proportions (successes over trials per arm): the fixed-horizon interval is Newcombe's hybrid
    /// score interval (statsmodels' <c>confint_proportions_2indep(method="newcomb")</c>), the always-valid one the
    /// normal-mixture confidence sequence (<see cref="ConfidenceSequence"/>) on the Wald variance of the difference.
    /// </summary>
    /// <param name="treatmentSuccesses">Successes in the treatment arm.</param>
    /// <param name="treatmentTrials">Trials in the treatment arm.</param>
    /// <param name="controlSuccesses">Successes in the control arm.</param>
    /// <param name="controlTrials">Trials in the control arm.</param>
    /// <param name="confidence">The confidence of both intervals, e.g. 0.95.</param>
    /// <param name="mixture">The mixture's standard deviation τ, in the metric's units (see <see cref="ConfidenceSequence"/>).</param>
    public static ArmDifference OfProportions(
        long treatmentSuccesses,
        long treatmentTrials,
        long controlSuccesses,
        long controlTrials,
        double confidence,
        double mixture
    )
    {
        if (treatmentTrials <= 0 || controlTrials <= 0)
        {
            return new ArmDifference(
                Rate(controlSuccesses, controlTrials),
                Rate(treatmentSuccesses, treatmentTrials),
                Interval.Unknown,
                Interval.Unknown
            );
        }
        var (pt, pc) = ((double)treatmentSuccesses / treatmentTrials, (double)controlSuccesses / controlTrials);
        var fixedHorizon = Mover.Difference(
            pc,
            Wilson.Interval(controlSuccesses, controlTrials, confidence),
            pt,
            Wilson.Interval(treatmentSuccesses, treatmentTrials, confidence)
        );
        var variance = (pt * (1 - pt) / treatmentTrials) + (pc * (1 - pc) / controlTrials);
        // A difference of two rates lies in [−1, 1]; a wide always-valid interval (few units, a small τ) is cut there.
        var alwaysValid = ConfidenceSequence.Around(pt - pc, variance, mixture, confidence);
        return new ArmDifference(
            pc,
            pt,
            fixedHorizon,
            alwaysValid.IsKnown
                ? new Interval(Math.Max(-1, alwaysValid.Low), Math.Min(1, alwaysValid.High))
                : alwaysValid
        );
    }

    /// <summary>
    /// The difference of two means (latency, cost, a business value per unit): the fixed-horizon interval is Welch's t
    /// interval (statsmodels' <c>CompareMeans.tconfint_diff(usevar="unequal")</c>), the always-valid one the
    /// normal-mixture confidence sequence on the same variance.
    /// </summary>
    /// <param name="treatment">The treatment arm's mean, sample variance (n − 1) and count.</param>
    /// <param name="control">The control arm's mean, sample variance (n − 1) and count.</param>
    /// <param name="confidence">The confidence of both intervals.</param>
    /// <param name="mixture">The mixture's standard deviation τ, in the metric's units.</param>
    public static ArmDifference OfMeans(
        (double Mean, double Variance, long Count) treatment,
        (double Mean, double Variance, long Count) control,
        double confidence,
        double mixture
    )
    {
        if (treatment.Count < 2 || control.Count < 2)
        {
            return new ArmDifference(control.Mean, treatment.Mean, Interval.Unknown, Interval.Unknown);
        }
        var (vt, vc) = (treatment.Variance / treatment.Count, control.Variance / control.Count);
        var variance = vt + vc;
        var d = treatment.Mean - control.Mean;
        if (!(variance > 0))
        {
            return new ArmDifference(control.Mean, treatment.Mean, new Interval(d, d), new Interval(d, d));
        }
        var dof = variance * variance / ((vt * vt / (treatment.Count - 1)) + (vc * vc / (control.Count - 1)));
        var half = StudentT.InvCDF(0, 1, dof, 1 - ((1 - confidence) / 2)) * Math.Sqrt(variance);
        return new ArmDifference(
            control.Mean,
            treatment.Mean,
            new Interval(d - half, d + half),
            ConfidenceSequence.Around(d, variance, mixture, confidence)
        );
    }

    private static double Rate(long successes, long trials) => trials > 0 ? (double)successes / trials : double.NaN;
}

using Overlap.Core.Statistics;

namespace Overlap.Core.Experiments;

/// <summary>
/// The always-valid interval of a difference: the confidence sequence of the mixture sequential probability ratio test
/// with a normal mixture (Robbins 1970; Johari, Koomen, Pekelis and Walsh, "Always valid inference", 2017; the form
/// Optimizely, Eppo and Statsig document). With the difference estimated as θ̂ with variance V (shrinking as units
/// arrive) and a mixing distribution N(0, τ²) over the true difference, the interval
/// <code>θ̂ ± √( V (V + τ²) / τ² · ( 2 ln(1/α) + ln((V + τ²) / V) ) )</code>
/// covers the true difference at every sample size at once with probability at least 1 − α, so it may be read after
/// every new unit without inflating the error rate. It is wider than the fixed-horizon interval; τ sets where it is
/// tightest (near effects of size τ), and Overlap takes τ as the experiment's minimum detectable effect.
/// </summary>
/// <remarks>
/// V is estimated from the data (the plug-in variance), so the guarantee is asymptotic: it holds once each arm has a few
/// hundred units. Overlap shows no always-valid verdict before <see cref="MinimumPerArm"/> units per arm.
/// </remarks>
public static class ConfidenceSequence
{
    /// <summary>Units per arm before an always-valid verdict is given.</summary>
    public const int MinimumPerArm = 100;

    /// <summary>The half-width for variance <paramref name="variance"/>, mixture sd <paramref name="mixture"/> and error α = 1 − confidence.</summary>
    public static double HalfWidth(double variance, double mixture, double confidence)
    {
        if (!(variance > 0) || !(mixture > 0) || !(confidence is > 0 and < 1))
        {
            return double.NaN;
        }
        var tau2 = mixture * mixture;
        var alpha = 1 - confidence;
        return Math.Sqrt(
            variance * (variance + tau2) / tau2 * ((2 * Math.Log(1 / alpha)) + Math.Log((variance + tau2) / variance))
        );
    }

    /// <summary>The interval around <paramref name="estimate"/>; unknown when the variance is not positive.</summary>
    public static Interval Around(double estimate, double variance, double mixture, double confidence)
    {
        var half = HalfWidth(variance, mixture, confidence);
        return double.IsNaN(half) ? Interval.Unknown : new Interval(estimate - half, estimate + half);
    }
}

namespace Overlap.Core.Estimation;

/// <summary>One window's estimate set against its realised figure.</summary>
/// <param name="Start">Where the window starts.</param>
/// <param name="Estimated">The estimated figure.</param>
/// <param name="Realised">The realised figure, from the window's labels.</param>
/// <param name="RealisedLow">The realised interval's lower end.</param>
/// <param name="RealisedHigh">The realised interval's upper end.</param>
/// <param name="Error">Estimated minus realised.</param>
/// <param name="Excluded">True when the realised interval does not hold the estimate.</param>
public sealed record EstimateCheckWindow(
    DateTimeOffset Start,
    double Estimated,
    double Realised,
    double RealisedLow,
    double RealisedHigh,
    double Error,
    bool Excluded
);

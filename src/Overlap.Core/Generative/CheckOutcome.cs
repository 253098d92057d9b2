namespace Overlap.Core.Generative;

/// <summary>One check's result on one output: passed or not, and why not in words.</summary>
/// <param name="Passed">True when the output passes; false when it fails; null when the check could not run on it.</param>
/// <param name="Why">Why it failed or did not run, in words; null when it passed.</param>
public readonly record struct CheckOutcome(bool? Passed, string? Why)
{
    /// <summary>A pass.</summary>
    public static CheckOutcome Pass { get; } = new(true, null);

    /// <summary>A failure, with its reason.</summary>
    public static CheckOutcome Fail(string why) => new(false, why);

    /// <summary>Not run on this output (nothing to compare with), with the reason.</summary>
    public static CheckOutcome NotRun(string why) => new(null, why);
}

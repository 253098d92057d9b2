namespace Overlap.Events;

/// <summary>What a model costs, in the currency of your bill (or the contract's), per million tokens read (input) and written
/// (output).</summary>
/// <param name="InputPerMillion">The price of 1,000,000 input (prompt) tokens.</param>
/// <param name="OutputPerMillion">The price of 1,000,000 output (completion) tokens.</param>
public readonly record struct ModelPrice(double InputPerMillion, double OutputPerMillion)
{
    /// <summary>
    /// The cost of a call that read <paramref name="inputTokens"/> and wrote <paramref name="outputTokens"/>; null when
    /// either count is unknown (a cost from half the tokens would look real and be wrong).
    /// </summary>
    public double? Cost(long? inputTokens, long? outputTokens) =>
        inputTokens is { } input && outputTokens is { } output
            ? ((input * InputPerMillion) + (output * OutputPerMillion)) / 1_000_000
            : null;
}

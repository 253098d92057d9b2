namespace Overlap.Judges;

/// <summary>What a model costs, per million tokens, in the contract's currency.</summary>
/// <param name="InputPerMillion">The price of one million input (prompt) tokens.</param>
/// <param name="OutputPerMillion">The price of one million output (completion) tokens.</param>
public sealed record ModelPrice(double InputPerMillion, double OutputPerMillion)
{
    /// <summary>The cost of one call with these token counts.</summary>
    public double Cost(long inputTokens, long outputTokens) =>
        ((inputTokens * InputPerMillion) + (outputTokens * OutputPerMillion)) / 1_000_000;
}

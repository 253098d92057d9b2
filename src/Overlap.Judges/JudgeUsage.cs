namespace Overlap.Judges;

/// <summary>
/// What grading cost: tokens as the endpoint reported them, the cost from the price table, the time spent waiting
/// for answers, and how many calls were made. A figure the endpoint or the price table could not give is null
/// (unknown), never 0.
/// </summary>
/// <param name="InputTokens">Prompt tokens, or null when an answer did not report them.</param>
/// <param name="OutputTokens">Completion tokens, or null when an answer did not report them.</param>
/// <param name="Cost">The cost in the price table's currency, or null when the model's price or the tokens are unknown.</param>
/// <param name="Latency">Time spent waiting for answers (all attempts, without back-off waits).</param>
/// <param name="Calls">Requests sent to the endpoint.</param>
public sealed record JudgeUsage(long? InputTokens, long? OutputTokens, double? Cost, TimeSpan Latency, int Calls)
{
    /// <summary>Nothing spent: what a cached answer or a skipped output costs.</summary>
    public static JudgeUsage Zero { get; } = new(0, 0, 0, TimeSpan.Zero, 0);

    /// <summary>The two together; unknown if either is unknown.</summary>
    public static JudgeUsage operator +(JudgeUsage a, JudgeUsage b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(
            a.InputTokens + b.InputTokens,
            a.OutputTokens + b.OutputTokens,
            a.Cost + b.Cost,
            a.Latency + b.Latency,
            a.Calls + b.Calls
        );
    }

    /// <summary>The two together (for languages without operators).</summary>
    public static JudgeUsage Add(JudgeUsage left, JudgeUsage right) => left + right;
}

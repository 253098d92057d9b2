using System.Globalization;

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

    /// <summary>
    /// In words, for a person: "6 calls, 720 input and 90 output tokens, cost 0.0002 USD, 1.2 s waiting"; an unknown
    /// figure is said to be unknown, never shown as 0.
    /// </summary>
    /// <param name="currency">The price table's currency, shown after the cost (for example USD).</param>
    public string Describe(string? currency = null)
    {
        var invariant = CultureInfo.InvariantCulture;
        var calls = Calls == 1 ? "1 call" : $"{Calls.ToString("#,0", invariant)} calls";
        var tokens =
            InputTokens is { } i && OutputTokens is { } o
                ? $"{i.ToString("#,0", invariant)} input and {o.ToString("#,0", invariant)} output tokens"
                : "tokens not reported by the endpoint";
        var cost = Cost is { } c
            ? $"cost {c.ToString("0.####", invariant)}{(currency is null ? "" : " " + currency)}"
            : "cost unknown (the price table has no price for the model, or the tokens were not reported)";
        return $"{calls}, {tokens}, {cost}, {Latency.TotalSeconds.ToString("0.0", invariant)} s waiting";
    }

    /// <summary>The two together (for languages without operators).</summary>
    public static JudgeUsage Add(JudgeUsage left, JudgeUsage right) => left + right;
}

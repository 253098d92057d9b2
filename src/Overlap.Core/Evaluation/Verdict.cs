namespace Overlap.Core.Evaluation;

/// <summary>A requirement's or a contract's verdict, always judged on the interval, never the point.</summary>
public enum Verdict
{
    /// <summary>The whole interval clears the bar.</summary>
    Pass,

    /// <summary>The interval straddles the bar: not enough data yet.</summary>
    Inconclusive,

    /// <summary>The whole interval misses the bar.</summary>
    Fail,

    /// <summary>Not judged here (a production-only metric in an offline evaluation); does not count toward the contract's verdict.</summary>
    Skipped,
}

namespace Overlap.Server.Monitoring.Generative;

/// <summary>One window's usage, feedback, tokens, cost and latency, each in words ready to show.</summary>
/// <param name="Start">The window's start.</param>
/// <param name="Outputs">Outputs in the window.</param>
/// <param name="Conversations">Distinct conversations they belong to.</param>
/// <param name="Regeneration">Share regenerated, with its interval and the outputs it rests on.</param>
/// <param name="Edit">Share edited.</param>
/// <param name="ThumbsDown">Share given a thumbs-down.</param>
/// <param name="Tokens">Tokens per output, with its bootstrap interval.</param>
/// <param name="CostPer1000">Cost per 1,000 outputs.</param>
/// <param name="LatencyP95">The 95th percentile latency in milliseconds.</param>
/// <param name="Note">"not enough data yet (n of N needed)" below the contract's <c>min_samples</c>; else null.</param>
public sealed record UsageWindow(
    DateTimeOffset Start,
    int Outputs,
    int Conversations,
    string Regeneration,
    string Edit,
    string ThumbsDown,
    string Tokens,
    string CostPer1000,
    string LatencyP95,
    string? Note
);

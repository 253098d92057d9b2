using Overlap.Core.Monitoring;

namespace Overlap.Server.Monitoring.Generative;

/// <summary>One of the worst recent outputs, with the window it came from.</summary>
public sealed record RecentWorst(DateTimeOffset Start, WorstOutput Output);

namespace Overlap.Core.Contracts;

/// <summary>How production is watched.</summary>
public sealed record MonitoringPolicy
{
    /// <summary>The time bucket metrics are computed over.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromDays(1);

    /// <summary>What windows are compared with for drift.</summary>
    public ReferencePeriod? Reference { get; init; }

    /// <summary>Fewest labelled examples in a window before its verdict can alert.</summary>
    public int MinSamples { get; init; } = 200;

    /// <summary>How long labels take to arrive; until then performance is estimated from scores.</summary>
    public TimeSpan? LabelDelay { get; init; }

    /// <summary>When to recommend retraining.</summary>
    public RetrainPolicy? RetrainWhen { get; init; }

    /// <summary>Webhook addresses alerts are sent to.</summary>
    public IReadOnlyList<string> AlertWebhooks { get; init; } = [];
}

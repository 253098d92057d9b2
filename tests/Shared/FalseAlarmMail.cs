namespace Overlap.Tests.Shared;

/// <summary>
/// A mail filter whose false alarms miss their bar while its recall passes: the contract shared by the server's and the
/// browser's why-it-misses tests (each sends its own days of mail).
/// </summary>
internal static class FalseAlarmMail
{
    /// <summary>Recall at least 0.8, false alarms at most 5%, segmented by channel, daily windows of 200 labels.</summary>
    public static string Contract(string feature) =>
        $$"""
            feature: {{feature}}
            task: binary
            labels: { positive: spam, negative: ham }
            columns: { id: id, label: label, score: score, segments: [channel] }
            threshold: 0.5
            requirements:
              - { metric: recall, min: 0.8 }
              - { metric: false_positive_rate, max: 0.05 }
            monitoring: { window: 1d, min_samples: 200 }
            """;
}

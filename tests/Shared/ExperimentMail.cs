using System.Globalization;
using System.Text;
using System.Text.Json;
using Overlap.Events.Experiments;

namespace Overlap.Tests.Shared;

/// <summary>
/// A spam filter's experiment, shared by the server's and the browser's experiment tests: nb@2 tried against nb@1, each
/// email assigned by its id as the documented rule does, a third of them spam, each version catching spam at its own
/// rate.
/// </summary>
internal static class ExperimentMail
{
    /// <summary>
    /// One email as sent: when, to which version, whether it was spam, whether it was caught, how fast; its score, else
    /// 0.9 when caught and 0.1 when not.
    /// </summary>
    public sealed record Email(
        string Id,
        DateTimeOffset Time,
        string Version,
        bool Spam,
        bool Caught,
        double LatencyMs,
        string? Channel = null,
        double? Score = null
    );

    /// <summary>Recall must rise by <paramref name="minEffect"/>; false alarms may not rise by 5 points, latency p95 by 50 ms.</summary>
    public static string Contract(string feature, string experiment, double minEffect, string? labelDelay = null) =>
        $$"""
            feature: {{feature}}
            task: binary
            labels: { positive: spam, negative: ham }
            columns: { label: is_spam, score: p_spam }
            words: { positive: spam email, negative: legitimate email, action: moved to spam, example: email }
            {{(labelDelay is null ? "" : $"monitoring: {{ label_delay: {labelDelay} }}")}}
            experiments:
              - name: {{experiment}}
                control: nb@1
                treatment: nb@2
                primary: [{ metric: recall, min_effect: {{minEffect.ToString(CultureInfo.InvariantCulture)}} }]
                guardrails:
                  - { metric: false_positive_rate, margin: 0.05 }
                  - { metric: latency_p95_ms, margin: 50 }
            """;

    /// <summary>
    /// <paramref name="count"/> emails, the first at <paramref name="first"/> and one every <paramref name="every"/>;
    /// spam caught at <paramref name="recall"/> of nb@1 and nb@2; 4% of legitimate mail flagged; latencies 80–120 ms.
    /// </summary>
    public static List<Email> Emails(
        string experiment,
        int count,
        DateTimeOffset first,
        TimeSpan every,
        (double Control, double Treatment) recall,
        int seed
    )
    {
        var random = new Random(seed);
        var emails = new List<Email>();
        for (var i = 0; i < count; i++)
        {
            var id = $"mail-{i}";
            var control = ArmAssignment.Arm(experiment, id, [50, 50]) == 0;
            var spam = random.NextDouble() < 1.0 / 3;
            var caught = spam
                ? random.NextDouble() < (control ? recall.Control : recall.Treatment)
                : random.NextDouble() < 0.04;
            var latency = Math.Round(80 + (40 * random.NextDouble()), 1);
            emails.Add(new Email(id, first + (every * i), control ? "nb@1" : "nb@2", spam, caught, latency));
        }
        return emails;
    }

    /// <summary>
    /// The emails as the ingest API takes them: each prediction, and its outcome <paramref name="labelAfter"/> later
    /// (none when null: the emails await their labels).
    /// </summary>
    public static string Ndjson(string feature, IEnumerable<Email> emails, TimeSpan? labelAfter)
    {
        var lines = new StringBuilder();
        foreach (var e in emails)
        {
            var prediction = new Dictionary<string, object>
            {
                ["type"] = "prediction",
                ["id"] = e.Id,
                ["feature"] = feature,
                ["time"] = e.Time.ToString("O", CultureInfo.InvariantCulture),
                ["score"] = e.Score ?? (e.Caught ? 0.9 : 0.1),
                ["model_version"] = e.Version,
                ["latency_ms"] = e.LatencyMs,
            };
            if (e.Channel is { } channel)
            {
                prediction["attributes"] = new Dictionary<string, string> { ["channel"] = channel };
            }
            lines.AppendLine(JsonSerializer.Serialize(prediction));
            if (labelAfter is not { } after)
            {
                continue;
            }
            lines.AppendLine(
                JsonSerializer.Serialize(
                    new
                    {
                        type = "outcome",
                        id = $"o-{e.Id}",
                        prediction_id = e.Id,
                        feature,
                        label = e.Spam ? "spam" : "ham",
                        time = (e.Time + after).ToString("O", CultureInfo.InvariantCulture),
                    }
                )
            );
        }
        return lines.ToString();
    }
}

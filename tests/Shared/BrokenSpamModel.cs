using System.Globalization;
using Overlap.Events;

namespace Overlap.Tests.Shared;

/// <summary>
/// A spam filter that broke after its reference period: 200 emails a day, half spam; in the reference (the first 4
/// days) spam scores 0.8 and ham 0.2, from then on half the spam scores 0.2. An estimate calibrated on the reference
/// says recall 1 while the labels show 0.5.
/// </summary>
internal static class BrokenSpamModel
{
    public const string Feature = "spam";

    /// <summary>The contract: recall at least 0.7, daily windows, the first 4 days from <paramref name="day0"/> as the reference.</summary>
    public static string Contract(DateTimeOffset day0) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $$"""
            feature: spam
            task: binary
            labels: { positive: spam, negative: ham }
            columns: { id: id, time: time, label: label, score: p_spam }
            threshold: 0.5
            requirements:
              - { metric: recall, min: 0.7 }
            monitoring:
              window: 1d
              reference: { from: {{day0:yyyy-MM-dd}}, to: {{day0.AddDays(4):yyyy-MM-dd}} }
              min_samples: 10
            """
        );

    /// <summary>11 days of predictions from <paramref name="day0"/>, those of the first <paramref name="labelledDays"/> days labelled an hour later.</summary>
    public static List<FeatureEvent> Events(DateTimeOffset day0, int labelledDays = 11)
    {
        var events = new List<FeatureEvent>();
        for (var day = 0; day < 11; day++)
        {
            for (var i = 0; i < 200; i++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"m{day}-{i}");
                var spam = i % 2 == 0;
                var missed = day >= 4 && i % 4 == 2;
                var time = day0.AddDays(day).AddMinutes(7 * i);
                events.Add(
                    new PredictionEvent
                    {
                        Id = id,
                        Feature = Feature,
                        Time = time,
                        Score = spam && !missed ? 0.8 : 0.2,
                    }
                );
                if (day < labelledDays)
                {
                    events.Add(
                        new OutcomeEvent
                        {
                            Id = $"o-{id}",
                            PredictionId = id,
                            Label = spam ? "spam" : "ham",
                            Time = time.AddHours(1),
                        }
                    );
                }
            }
        }
        return events;
    }
}

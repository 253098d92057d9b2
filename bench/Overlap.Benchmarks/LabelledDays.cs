using System.Globalization;
using Overlap.Events;

namespace Overlap.Benchmarks;

/// <summary>
/// The load generator's shape of labelled history, built in process: predictions spread evenly over each day (two
/// attributes, one input, a score whose fraud rate follows it), each with the outcome that labels it a day later.
/// </summary>
internal static class LabelledDays
{
    private static readonly string[] Channels = ["web", "app", "pos"];
    private static readonly string[] Regions = ["eu", "us", "apac", "latam"];

    /// <summary>
    /// Predictions <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 of a history of
    /// <paramref name="perDay"/> a day from <paramref name="start"/>, each followed by its outcome; the outcome names the
    /// feature when <paramref name="outcomeFeature"/>, else leaves it to the store to find (as the load generator does).
    /// </summary>
    public static List<FeatureEvent> Batch(
        string feature,
        DateTimeOffset start,
        long first,
        int count,
        int perDay,
        bool outcomeFeature
    )
    {
        var random = new Random((int)(first % int.MaxValue));
        var batch = new List<FeatureEvent>(2 * count);
        for (var n = first; n < first + count; n++)
        {
            var score = Math.Round(Math.Pow(random.NextDouble(), 3), 6);
            batch.Add(
                new PredictionEvent
                {
                    Id = $"h{n}",
                    Feature = feature,
                    Time = start.AddDays(n / perDay).AddSeconds(n % perDay * 86_400.0 / perDay),
                    Score = score,
                    LatencyMs = Math.Round(20 + (random.NextDouble() * 100), 1),
                    InputsJson = string.Create(
                        CultureInfo.InvariantCulture,
                        $"{{\"amount\":{Math.Round(random.NextDouble() * 500, 2)}}}"
                    ),
                    AttributesJson = $"{{\"channel\":\"{Channels[n % 3]}\",\"region\":\"{Regions[n % 4]}\"}}",
                }
            );
            batch.Add(
                new OutcomeEvent
                {
                    Id = $"o{n}",
                    PredictionId = $"h{n}",
                    Feature = outcomeFeature ? feature : null,
                    Label = random.NextDouble() < score ? "fraud" : "legit",
                    Time = start.AddDays((n / perDay) + 1),
                }
            );
        }
        return batch;
    }

    /// <summary>A memory figure of this process from /proc/self/status, in MiB: <c>VmRSS</c> (resident now) or <c>VmHWM</c> (its peak).</summary>
    public static long MiB(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            }
        }
        return 0;
    }
}

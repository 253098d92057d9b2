using Overlap.Core.Evaluation;
using Overlap.Core.Metrics;

namespace Overlap.Core.Monitoring;

/// <summary>
/// A generative feature's range as one: its windows' outputs and split by model, and every rate (feedback,
/// <c>acceptable_rate</c>, each check's and criterion's pass rate) from the windows' counts added up, with its Wilson
/// interval. Means and percentiles do not add up across windows and are read per window.
/// </summary>
public sealed record GenerativeRange
{
    /// <summary>How many outputs the range holds.</summary>
    public required int Outputs { get; init; }

    /// <summary>Outputs per model version ("(none)" for calls that sent none).</summary>
    public required IReadOnlyDictionary<string, int> ByModelVersion { get; init; }

    /// <summary>Outputs per model that answered.</summary>
    public required IReadOnlyDictionary<string, int> ByModel { get; init; }

    /// <summary>Every rate over the range, by metric name.</summary>
    public required IReadOnlyDictionary<string, MetricValue> Rates { get; init; }

    /// <summary>The range's generative figures from its windows' reports.</summary>
    public static GenerativeRange Merge(IReadOnlyList<WindowReport> windows, double confidence)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var counts = new SortedDictionary<string, (long Successes, long Trials)>(StringComparer.Ordinal);
        void Add(string name, MetricValue m)
        {
            var (s, t) = counts.GetValueOrDefault(name);
            counts[name] = (s + (m.N == 0 ? 0 : (long)Math.Round(m.Value * m.N)), t + m.N);
        }
        var generative = windows.Select(w => w.Generative).OfType<GenerativeWindow>().ToList();
        foreach (var w in windows)
        {
            foreach (var (name, m) in w.Generative?.Feedback ?? new Dictionary<string, MetricValue>())
            {
                Add(name, m);
            }
            foreach (var (name, m) in w.Evaluation?.Metrics ?? new Dictionary<string, MetricValue>())
            {
                if (name == "acceptable_rate" || name.EndsWith(".pass_rate", StringComparison.Ordinal))
                {
                    Add(name, m);
                }
            }
        }
        static Dictionary<string, int> Sum(IEnumerable<IReadOnlyDictionary<string, int>> splits) =>
            splits
                .SelectMany(s => s)
                .GroupBy(p => p.Key, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(p => p.Value), StringComparer.Ordinal);
        return new GenerativeRange
        {
            Outputs = generative.Sum(g => g.Outputs),
            ByModelVersion = Sum(generative.Select(g => g.ByModelVersion)),
            ByModel = Sum(generative.Select(g => g.ByModel)),
            Rates = counts.ToDictionary(
                c => c.Key,
                c =>
                {
                    var m = MetricIntervals.Proportion(c.Value.Successes, c.Value.Trials, confidence);
                    return new MetricValue(m.Value, m.Interval.Low, m.Interval.High, m.N)
                    {
                        Reason = c.Value.Trials == 0 ? "no output in this range has a result here" : null,
                    };
                },
                StringComparer.Ordinal
            ),
        };
    }
}

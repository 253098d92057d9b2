using System.Globalization;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Server.Contracts;
using Overlap.Storage;

namespace Overlap.Server.Monitoring;

/// <summary>What the overview shows of one feature: the last 30 days judged as one, daily figures of the key metric, open alerts.</summary>
public sealed record FeatureHealth(
    string Feature,
    int ContractVersion,
    string? Description,
    RangeReport Range,
    IReadOnlyList<(DateTimeOffset Day, double? Value)> KeyMetric,
    string KeyMetricName,
    IReadOnlyList<Alerts.AlertStateView> OpenAlerts,
    ReviewQueueCounts? Review = null
)
{
    /// <summary>How far back the overview looks.</summary>
    public static readonly TimeSpan Range30Days = TimeSpan.FromDays(30);

    /// <summary>Bootstrap resamples behind the dashboard's figures (the stored windows and merges are shared with the API's default).</summary>
    public static EvaluationOptions Evaluation { get; } = new();

    /// <summary>The contract's verdict over the range: the evaluation's, or no data when nothing is labelled yet.</summary>
    public string Verdict => VerdictOf(Range);

    /// <summary>
    /// A range's verdict in words: its evaluation's, or no data when nothing is labelled yet; for a generative feature
    /// (judged window by window, not over the range) the share of its outputs found acceptable.
    /// </summary>
    public static string VerdictOf(RangeReport range) =>
        (range ?? throw new ArgumentNullException(nameof(range))) is { Evaluation: null, Generative: { } generative }
            ? generative.Outputs == 0
                ? "no outputs yet"
                : Acceptable(generative) is { } acceptable
                    ? string.Create(CultureInfo.InvariantCulture, $"{acceptable.Value * 100:0}% acceptable")
                    : "not graded yet"
            : range.Evaluation?.Verdict switch
            {
                Core.Evaluation.Verdict.Pass => "meets its contract",
                Core.Evaluation.Verdict.Fail => "misses its contract",
                Core.Evaluation.Verdict.Inconclusive => "not settled yet",
                _ => "no labelled data yet",
            };

    /// <summary>The range's acceptable rate, when some output was judged on it.</summary>
    public static MetricValue? Acceptable(GenerativeRange range) =>
        (range ?? throw new ArgumentNullException(nameof(range))).Rates.GetValueOrDefault("acceptable_rate")
            is { N: > 0 } m
        && double.IsFinite(m.Value)
            ? m
            : null;

    /// <summary>The metric a feature is followed by: its first overall requirement's, else accuracy.</summary>
    public static string KeyMetricOf(Core.Contracts.Contract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract.Requirements.FirstOrDefault(r => r.By is null)?.Metric ?? "accuracy";
    }

    /// <summary>The contract's windows of the last 30 days, up to the end of the one that holds <paramref name="now"/>.</summary>
    public static IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> Last30Days(
        Core.Contracts.Contract contract,
        DateTimeOffset now
    )
    {
        var length = FeatureMonitor.WindowLength(contract);
        var end = WindowMonitor.Floor(now, length) + length;
        return WindowMonitor.Windows(end - Range30Days, end, length);
    }

    /// <summary>Builds every feature's health, the newest 30 days up to the end of the current window.</summary>
    internal static async Task<IReadOnlyList<FeatureHealth>> AllAsync(
        ContractRegistry features,
        FeatureMonitor monitor,
        Alerts.AlertService alerts,
        Review.ReviewQueue queue,
        DateTimeOffset now,
        CancellationToken cancellationToken
    )
    {
        var result = new List<FeatureHealth>();
        foreach (var feature in features.Names)
        {
            if (features.Current(feature) is not var (contract, version, _))
            {
                continue;
            }
            var windows = Last30Days(contract, now);
            var range = await monitor
                .RangeAsync(contract, version, windows, Evaluation, cancellationToken, stale: true)
                .ConfigureAwait(false);
            var report = await monitor
                .ReportAsync(contract, version, windows, Evaluation, cancellationToken, stale: true)
                .ConfigureAwait(false);
            var key = KeyMetricOf(contract);
            var series = report
                .Windows.Select(w =>
                    (
                        w.Start,
                        w.Evaluation?.Metrics.TryGetValue(key, out var m) == true && !double.IsNaN(m.Value)
                            ? m.Value
                            : (double?)null
                    )
                )
                .ToList();
            var open = (await alerts.StatesAsync(feature, cancellationToken).ConfigureAwait(false))
                .Where(a => a.State == AlertState.Alert)
                .ToList();
            // The queue is routed by the server every 5 s; the overview only counts it. A feature has a queue when
            // anything routes to it: its review policy, or a generative feature's judges.people.sample.
            var review = Overlap.Server.Review.ReviewRouting.Of(contract) is not null
                ? await queue.GlanceAsync(feature, cancellationToken).ConfigureAwait(false)
                : null;
            result.Add(new FeatureHealth(feature, version, contract.Description, range, series, key, open, review));
        }
        return result;
    }
}

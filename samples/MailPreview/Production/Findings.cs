using System.Globalization;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Evaluation;

namespace Overlap.Samples.MailPreview.Production;

/// <summary>A rate over the replayed days as the server's summary gives it: the share, its interval and n.</summary>
internal sealed record RateFigure(string Metric, double Value, double Low, double High, long N);

/// <summary>A rate requirement of the contract judged on the replayed days as one.</summary>
internal sealed record RateVerdict(Requirement Requirement, RateFigure Figure, Verdict Verdict);

/// <summary>One replayed day as the server judged it.</summary>
internal sealed record DayFigure(
    DateOnly Day,
    int Outputs,
    string? Verdict,
    double? LatencyP95Ms,
    IReadOnlyList<string> Failed
);

/// <summary>
/// What production showed, read from the server (<c>/summary</c> for the replayed days as one, <c>/metrics</c> per day,
/// <c>/judge</c>; the first two written to <c>production-summary.json</c> and <c>production-metrics.json</c>), from the
/// windows' workflow (what the contract's guard did, <see cref="Guard"/>) and from the reviewers' decisions, and said in
/// plain words by <see cref="Lines"/>.
/// </summary>
internal sealed record Findings(
    int Outputs,
    double? LatencyP95Ms,
    IReadOnlyDictionary<string, RateFigure> Rates,
    IReadOnlyList<RateVerdict> Verdicts,
    IReadOnlyList<DayFigure> Days,
    IReadOnlyList<(string Category, int Count)> Categories,
    int Reviewed,
    string Judge,
    GuardFindings? Guard
)
{
    /// <summary>Reads the findings of the days [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static async Task<Findings> ReadAsync(
        HttpClient http,
        DateTime from,
        DateTime to,
        IReadOnlyList<ReviewerGrade> reviews,
        TimeSpan judgeWait,
        string folder,
        CancellationToken cancellationToken
    )
    {
        var feature = $"/v1/features/{ProductionRun.Feature}";
        var judge = await JudgeAsync(http, feature, judgeWait, cancellationToken).ConfigureAwait(false);
        // A window stored while the replay ran is computed again once the reviewers' grades and the readers' feedback
        // on its outputs arrive, so these are the figures with every grade.
        var range = $"from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}";
        using var summary = await ScenarioHttp
            .GetJsonAsync(http, $"{feature}/summary?{range}", cancellationToken)
            .ConfigureAwait(false);
        using var metrics = await ScenarioHttp
            .GetJsonAsync(http, $"{feature}/metrics?{range}", cancellationToken)
            .ConfigureAwait(false);
        // The server's own answers, kept beside the offline reports.
        await File.WriteAllTextAsync(
                Path.Combine(folder, "production-summary.json"),
                summary.RootElement.GetRawText(),
                cancellationToken
            )
            .ConfigureAwait(false);
        await File.WriteAllTextAsync(
                Path.Combine(folder, "production-metrics.json"),
                metrics.RootElement.GetRawText(),
                cancellationToken
            )
            .ConfigureAwait(false);
        var generative = summary.RootElement.GetProperty("generative");
        var rates = new SortedDictionary<string, RateFigure>(StringComparer.Ordinal);
        foreach (var rate in generative.GetProperty("rates").EnumerateObject())
        {
            if (Number(rate.Value, "value") is { } value)
            {
                rates[rate.Name] = new RateFigure(
                    rate.Name,
                    value,
                    Number(rate.Value, "ci_low") ?? value,
                    Number(rate.Value, "ci_high") ?? value,
                    rate.Value.GetProperty("n").GetInt64()
                );
            }
        }
        var verdicts = OfflineRun
            .Contract()
            .Requirements.Where(r => r.By is null && r.Bound is Bound.Min or Bound.Max)
            .Where(r => rates.ContainsKey(r.Metric))
            .Select(r =>
            {
                var f = rates[r.Metric];
                return new RateVerdict(r, f, Core.Evaluation.Judge.Interval(r.Bound, r.Value, f.Low, f.High));
            })
            .ToList();
        var days = metrics
            .RootElement.GetProperty("windows")
            .EnumerateArray()
            .Select(w => new DayFigure(
                DateOnly.FromDateTime(w.GetProperty("start").GetDateTimeOffset().UtcDateTime),
                w.GetProperty("predictions").GetInt32(),
                w.TryGetProperty("evaluation", out var e) && e.ValueKind == JsonValueKind.Object
                    ? e.GetProperty("verdict").GetString()
                    : null,
                w.TryGetProperty("latency_ms", out var l) ? Number(l, "p95") : null,
                e.ValueKind == JsonValueKind.Object
                    ?
                    [
                        .. e.GetProperty("requirements")
                            .EnumerateArray()
                            .Where(r => r.GetProperty("verdict").GetString() == "fail")
                            .Select(r => r.GetProperty("metric").GetString()!),
                    ]
                    : []
            ))
            .ToList();
        var categories = reviews
            .Where(r => r.Category is not null)
            .GroupBy(r => r.Category!, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(g => g.Item2)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return new Findings(
            generative.GetProperty("outputs").GetInt32(),
            summary.RootElement.TryGetProperty("latency_ms", out var latency) ? Number(latency, "p95") : null,
            rates,
            verdicts,
            days,
            categories,
            reviews.Count,
            judge,
            GuardFindings.Read(metrics.RootElement, OfflineRun.Contract())
        );
    }

    /// <summary>The findings in plain words, one statement a line.</summary>
    public IEnumerable<string> Lines()
    {
        var c = CultureInfo.InvariantCulture;
        var judged = Days.Where(d => d.Verdict is not null).ToList();
        yield return string.Create(
            c,
            $"{Outputs} previews over {Days.Count(d => d.Outputs > 0)} days; the reviewers graded {Reviewed} of them (the contract's people sample)."
        );
        foreach (var v in Verdicts)
        {
            yield return string.Create(
                c,
                $"{Describe(v.Figure)}: {Percent(v.Figure.Value)} ({Percent(v.Figure.Low)} to {Percent(v.Figure.High)}, n = {v.Figure.N}); the bar is {(v.Requirement.Bound == Bound.Min ? "at least" : "at most")} {Percent(v.Requirement.Value)}: {Word(v.Verdict)}."
            );
        }
        foreach (var name in (string[])["thumbs_up_rate", "check.on_topic.pass_rate"])
        {
            if (Rates.TryGetValue(name, out var f) && Verdicts.All(v => v.Figure.Metric != name))
            {
                yield return string.Create(
                    c,
                    $"{Describe(f)}: {Percent(f.Value)} ({Percent(f.Low)} to {Percent(f.High)}, n = {f.N}); watched, no bar."
                );
            }
        }
        foreach (var line in Guard?.Lines(ProductionRun.FirstLine) ?? [])
        {
            yield return line;
        }
        yield return Categories.Count == 0
            ? "The reviewers failed no preview."
            : $"The reviewers failed {Categories.Sum(g => g.Count)} previews: "
                + string.Join(", ", Categories.Select(g => $"{g.Category} {g.Count}"))
                + ".";
        var p95 = Days.Where(d => d.LatencyP95Ms is not null).Select(d => d.LatencyP95Ms!.Value).ToList();
        if (LatencyP95Ms is { } overall && p95.Count > 0)
        {
            yield return string.Create(
                c,
                $"Latency p95: {overall:0} ms over the replayed days, {p95.Min():0} to {p95.Max():0} ms per day (measured: the local model embeds every sentence of each email on this machine); the bar is judged per day."
            );
        }
        var failed = judged
            .SelectMany(d => d.Failed)
            .GroupBy(m => m, StringComparer.Ordinal)
            .Select(g => $"{g.Key} on {g.Count()} {(g.Count() == 1 ? "day" : "days")}");
        yield return string.Create(
            c,
            $"Each day judged alone (about {Outputs / Math.Max(1, Days.Count(d => d.Outputs > 0))} previews, a quarter of them graded): {string.Join(", ", judged.GroupBy(d => d.Verdict).Select(g => $"{g.Count()} {g.Key}"))}{(failed.Any() ? $"; failing: {string.Join(", ", failed)}" : "")}."
        );
        yield return Judge;
        yield return Advice();
    }

    /// <summary>What to do next, from the verdicts and the most common failure.</summary>
    private string Advice()
    {
        var failing = Verdicts.Where(v => v.Verdict == Verdict.Fail).Select(v => v.Figure.Metric).ToList();
        var open = Verdicts.Where(v => v.Verdict == Verdict.Inconclusive).Select(v => v.Figure.Metric).ToList();
        var top =
            Categories.Count > 0
                ? $" The most common failure is {Categories[0].Category} ({Categories[0].Count} of {Categories.Sum(g => g.Count)})."
                : "";
        var export =
            $" Export the failed and disliked previews as cases for the next version's offline run: GET /v1/features/{ProductionRun.Feature}/review/cases.jsonl.";
        return failing.Count > 0
                ? $"What to do: version 2 misses {string.Join(", ", failing)} in production; fix that before anything else.{top}{export}"
            : open.Count > 0
                ? $"What to do: {string.Join(", ", open)} is not settled yet; keep the reviewers grading until it is.{top}{export}"
            : $"What to do: keep version 2; it holds every bar judged on the replayed days.{top}{export}";
    }

    private static string Describe(RateFigure f) =>
        f.Metric switch
        {
            "acceptable_rate" => "Acceptable previews",
            "regeneration_rate" => "Previews readers asked to regenerate",
            "thumbs_down_rate" => "Previews given a thumbs down",
            "thumbs_up_rate" => "Previews given a thumbs up",
            _ when f.Metric.StartsWith("check.", StringComparison.Ordinal) => $"Previews passing {f.Metric[6..^10]}",
            _ when f.Metric.StartsWith("rubric.", StringComparison.Ordinal) => $"Previews passing {f.Metric[7..^10]}",
            _ => f.Metric,
        };

    private static string Percent(double share) => share.ToString("0%", CultureInfo.InvariantCulture);

    private static string Word(Verdict v) =>
        v switch
        {
            Verdict.Pass => "pass",
            Verdict.Fail => "fail",
            _ => "inconclusive (not enough data yet)",
        };

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    /// <summary>
    /// Where the model judge stands, in a sentence: it runs only when the contract's endpoint variables are set; then
    /// the judge is given up to <paramref name="wait"/> to grade its sample.
    /// </summary>
    private static async Task<string> JudgeAsync(
        HttpClient http,
        string feature,
        TimeSpan wait,
        CancellationToken cancellationToken
    )
    {
        var started = TimeProvider.System.GetTimestamp();
        long graded = -1;
        while (true)
        {
            using var status = await ScenarioHttp
                .GetJsonAsync(http, $"{feature}/judge", cancellationToken)
                .ConfigureAwait(false);
            var state = status.RootElement.GetProperty("state").GetString();
            var reason = status.RootElement.GetProperty("reason").GetString();
            var now = status.RootElement.GetProperty("graded").GetInt64();
            var settled = state is "off" or "budget_spent" || (state == "grading" && now == graded && now > 0);
            if (settled || TimeProvider.System.GetElapsedTime(started) > wait)
            {
                return state == "off"
                    ? $"The model judge did not run: {reason} Set OVERLAP_JUDGE_ENDPOINT, OVERLAP_JUDGE_MODEL and OVERLAP_JUDGE_KEY to have a model grade a fifth of the previews; its grades count only where it agrees with the reviewers."
                    : $"The model judge graded {now} previews ({state}): {reason}";
            }
            graded = now;
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }
    }
}

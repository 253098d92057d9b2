using System.Text.Json;
using Overlap.Core.Sampling;
using Overlap.Demo.Corpus;
using Overlap.Embeddings;
using Overlap.Samples.MailPreview;
using Overlap.Samples.MailPreview.Production;

namespace Overlap.MailPreview.Tests;

/// <summary>
/// The scenario's production half end to end: the real corpus, the real local model behind <c>UseOverlapGuard()</c>
/// in a real chat-client pipeline, a real server on loopback with its embedded store. Every figure the server reports
/// is checked against counts worked out here again from the scripted rules (the readers', the reviewers' and the
/// stand-in model's mistakes), and every interval against statsmodels' (Fixtures/make_wilson_fixtures.py and
/// Fixtures/make_attempts_fixtures.py).
/// </summary>
public class ProductionRunTests
{
    private const int Replayed = 60;

    private static readonly JsonElement Wilson = JsonDocument
        .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "wilson.json")))
        .RootElement.GetProperty("intervals");

    private static readonly JsonElement AttemptsMean = JsonDocument
        .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "attempts.json")))
        .RootElement.GetProperty("intervals");

    [Fact]
    public async Task LaterMail_ThroughUseOverlapGuard_IsJudgedByTheServer_AsTheScriptedRulesSay()
    {
        var corpus = await new SpamCorpus().LoadAsync();
        using var embedder = new MiniLmEmbedder();
        using var folder = new TempFolder();
        // The mail after the offline half's 300 emails, in date order.
        var mail = corpus.Dated.Where(m => !m.IsSpam).Skip(300).Take(Replayed).ToList();
        var result = await ProductionRun.RunAsync(
            mail,
            embedder,
            new ProductionOptions
            {
                DataFolder = folder.PathOf("data"),
                ReportFolder = folder.Path,
                JudgeWait = TimeSpan.FromSeconds(15),
            },
            CancellationToken.None
        );
        await using var app = result.App;
        var replayed = result.Replayed;

        // Every email was previewed once, named by its id and the version (a fallback keeps the id of the model's last
        // answer), and the guard took the route the stand-in's script gives: its first answer passing the checks, a
        // retry the model fixed, or the first-line fallback after two failed answers.
        Assert.Equal(mail.Select(m => $"{m.Id}.preview-central@2"), replayed.Select(r => r.Id));
        var previewer = new Previewer(embedder);
        var expected = mail.Select(m => Scripted(previewer, m)).ToList();
        Assert.Equal(expected.Select(e => e.Route), replayed.Select(r => r.Workflow.Route));
        Assert.Equal(expected.Select(e => e.Route == "direct" ? 1 : 2), replayed.Select(r => r.Workflow.Attempts));
        Assert.Equal(expected.Select(e => e.Preview), replayed.Select(r => r.Preview));
        Assert.Equal(
            expected.Select(e => string.Join(",", e.Failed)),
            replayed.Select(r => string.Join(",", r.Workflow.FailedChecks))
        );
        var retried = replayed.Where(r => r.Workflow.Route == "retry").ToList();
        var fellBack = replayed.Where(r => r.Workflow.Route == "fallback").ToList();
        // The script makes both happen on these 60 emails, so neither route goes untested.
        Assert.NotEmpty(retried);
        Assert.NotEmpty(fellBack);
        // Each email the content filter stops ends on the fallback, after two empty answers.
        Assert.All(
            replayed.Where(r => PreviewChatClient.MistakeOf(r.Message.Id, r.Message.Body) == StandInMistake.Filtered),
            r =>
                Assert.Equal(
                    ("fallback", "not_empty,not_empty"),
                    (r.Workflow.Route, string.Join(",", r.Workflow.FailedChecks))
                )
        );
        // A retried preview passes every check the guard runs; a fallback preview is the email's first sentence.
        Assert.All(retried, r => Assert.Empty(Failing(r.Preview)));
        Assert.All(fellBack, r => Assert.Equal(previewer.Preview(r.Message.Body, PreviewStrategy.Lead), r.Preview));

        // The server holds every call and every reaction the readers' rule gives.
        using var http = ProductionRun.Http(result.Address, result.AdminKey);
        using var counts = JsonDocument.Parse(await http.GetStringAsync("/v1/features/mail-preview/counts"));
        var reactions = replayed.Count(r => r.Reaction != ReaderReaction.None);
        Assert.Equal(Replayed, counts.RootElement.GetProperty("predictions").GetInt32());
        Assert.Equal(reactions, counts.RootElement.GetProperty("feedback").GetInt32());
        Assert.InRange(reactions, 3, Replayed - 10); // the rule reacts to some previews, not all

        // The reviewers graded exactly the contract's people sample (a quarter, by the id's sampling key), each
        // preview by the stated rule, reading the output and subject from the review item.
        var sampled = replayed.Where(r => StableSample.Takes(r.Id, 0.25)).ToList();
        Assert.NotEmpty(sampled);
        Assert.Equal(sampled.Select(r => r.Id).Order(), result.Reviews.Select(g => g.PredictionId).Order());
        foreach (var r in sampled)
        {
            var grade = result.Reviews.Single(g => g.PredictionId == r.Id);
            Assert.Equal(ScriptedReviewer.Informative(r.Preview, r.Message.Subject) == 1, grade.Informative);
            Assert.Equal(ScriptedReviewer.Clarity(r.Preview), grade.Clarity);
            Assert.Equal(ScriptedReviewer.Category(r.Preview, r.Message.Subject), grade.Category);
        }
        Assert.Equal(2, result.Reviews.Select(g => g.Reviewer).Distinct().Count());

        // The rates the server reports over the replayed days, against the rules' counts.
        var findings = result.Findings;
        Assert.Equal(Replayed, findings.Outputs);
        AssertRate(
            findings,
            "regeneration_rate",
            replayed.Count(r => r.Reaction == ReaderReaction.Regenerated),
            Replayed
        );
        AssertRate(
            findings,
            "thumbs_down_rate",
            replayed.Count(r => r.Reaction == ReaderReaction.ThumbsDown),
            Replayed
        );
        AssertRate(findings, "thumbs_up_rate", replayed.Count(r => r.Reaction == ReaderReaction.ThumbsUp), Replayed);
        AssertRate(
            findings,
            "rubric.informative.pass_rate",
            sampled.Count(r => ScriptedReviewer.Informative(r.Preview, r.Message.Subject) == 1),
            sampled.Count
        );
        AssertRate(findings, "acceptable_rate", sampled.Count(Acceptable), sampled.Count);
        AssertRate(findings, "check.no_links.pass_rate", replayed.Count(r => !HasLink(r.Preview)), Replayed);

        // The verdicts are the normative rule on those intervals: the regeneration bar is at most 15%.
        var regeneration = findings.Verdicts.Single(v => v.Figure.Metric == "regeneration_rate");
        Assert.Equal(
            regeneration.Figure.High <= 0.15 ? "Pass"
                : regeneration.Figure.Low > 0.15 ? "Fail"
                : "Inconclusive",
            regeneration.Verdict.ToString()
        );

        // Failure categories as the reviewers filed them; the judge is off without its variables, and says so.
        Assert.Equal(
            sampled
                .Select(r => ScriptedReviewer.Category(r.Preview, r.Message.Subject))
                .OfType<string>()
                .GroupBy(c => c)
                .ToDictionary(g => g.Key, g => g.Count()),
            findings.Categories.ToDictionary(c => c.Category, c => c.Count)
        );
        if (Environment.GetEnvironmentVariable("OVERLAP_JUDGE_ENDPOINT") is null)
        {
            Assert.StartsWith("The model judge did not run", findings.Judge, StringComparison.Ordinal);
            Assert.Contains("OVERLAP_JUDGE_ENDPOINT", findings.Judge, StringComparison.Ordinal);
        }
        // What the guard did, per day as the server counted it and over the days together, against the script.
        using var metrics = JsonDocument.Parse(
            await http.GetStringAsync(
                $"/v1/features/mail-preview/metrics?from={mail[0].Date!.Value.UtcDateTime:yyyy-MM-dd}&to={mail[^1].Date!.Value.UtcDateTime.AddDays(1):yyyy-MM-dd}"
            )
        );
        var byDay = replayed
            .Select((r, i) => (Day: r.Message.Date!.Value.UtcDateTime.Date, Expected: expected[i]))
            .GroupBy(d => d.Day)
            .ToDictionary(g => g.Key, g => g.Select(d => d.Expected).ToList());
        var windows = metrics
            .RootElement.GetProperty("windows")
            .EnumerateArray()
            .Where(w => w.TryGetProperty("workflow", out var f) && f.ValueKind == JsonValueKind.Object)
            .ToList();
        Assert.Equal(byDay.Keys.Order(), windows.Select(w => w.GetProperty("start").GetDateTimeOffset().UtcDateTime));
        foreach (var window in windows)
        {
            var day = byDay[window.GetProperty("start").GetDateTimeOffset().UtcDateTime];
            var workflow = window.GetProperty("workflow");
            var m = workflow.GetProperty("metrics");
            var n = day.Count;
            var retries = day.Count(e => e.Route != "direct");
            var answered = day.Count(e => e.Route != "fallback");
            Assert.Equal(n, workflow.GetProperty("guarded").GetInt32());
            Assert.Equal(retries, workflow.GetProperty("retried").GetInt32());
            AssertInterval(m.GetProperty("retry_rate"), retries, n);
            AssertInterval(m.GetProperty("fallback_rate"), day.Count(e => e.Route == "fallback"), n);
            AssertInterval(m.GetProperty("escalation_rate"), 0, n);
            if (answered > 0)
            {
                AssertInterval(m.GetProperty("passed_after_retry_rate"), day.Count(e => e.Route == "retry"), answered);
            }
            var attempts = AttemptsMean.GetProperty(n.ToString(System.Globalization.CultureInfo.InvariantCulture))[
                retries
            ];
            var mean = m.GetProperty("attempts_per_call");
            Assert.Equal(attempts[0].GetDouble(), mean.GetProperty("value").GetDouble(), 12);
            if (attempts[1].ValueKind == JsonValueKind.Number)
            {
                Assert.Equal(attempts[1].GetDouble(), mean.GetProperty("ci_low").GetDouble(), 9);
                Assert.Equal(attempts[2].GetDouble(), mean.GetProperty("ci_high").GetDouble(), 9);
            }
        }

        // Over the days together: the rates the findings print, and the checks that sent previews back, most first.
        var guard = findings.Guard!;
        Assert.Equal(Replayed, guard.Range.Guarded);
        AssertRate(guard.Range.Metrics["retry_rate"], retried.Count + fellBack.Count, Replayed);
        AssertRate(guard.Range.Metrics["fallback_rate"], fellBack.Count, Replayed);
        var failedChecks = expected
            .SelectMany(e => e.Failed.Distinct().Select(c => (Check: c, e.Route)))
            .GroupBy(f => f.Check)
            .ToDictionary(g => g.Key, g => (Calls: (long)g.Count(), Passed: (long)g.Count(f => f.Route == "retry")));
        Assert.Equal(
            failedChecks.OrderBy(f => f.Key, StringComparer.Ordinal),
            guard
                .Range.FailedChecks.ToDictionary(f => f.Check, f => (f.Calls, f.PassedAfterRetry))
                .OrderBy(f => f.Key, StringComparer.Ordinal)
        );
        Assert.True(
            guard.Range.FailedChecks.Zip(guard.Range.FailedChecks.Skip(1)).All(p => p.First.Calls >= p.Second.Calls),
            "the checks come most calls first"
        );

        var lines = findings.Lines().ToList();
        var direct = Replayed - retried.Count - fellBack.Count;
        Assert.Contains(
            $"{Replayed} previews went through the contract's workflow: {direct} passed on the first try, {retried.Count} passed after a retry, {fellBack.Count} {(fellBack.Count == 1 ? "was" : "were")} answered by the fallback.",
            lines
        );
        Assert.Single(lines, l =>
            System.Text.RegularExpressions.Regex.IsMatch(
                l,
                @"^\d+ in \d+ previews needed a second try \(.+ to .+ at 95% confidence\)\.$"
            )
        );
        // The check that failed most, by the script's counts (ties by name), is the one the server's statement names.
        var ranked = failedChecks
            .OrderByDescending(f => f.Value.Calls)
            .ThenBy(f => f.Key, StringComparer.Ordinal)
            .ToList();
        var top = ranked[0];
        Assert.Contains(
            $"The check that failed most was {top.Key}, in {top.Value.Calls} {(top.Value.Calls == 1 ? "preview" : "previews")}; {top.Value.Passed} of them then passed on a retry.",
            lines
        );
        var fallbackLine =
            $"The {fellBack.Count} {(fellBack.Count == 1 ? "preview" : "previews")} that failed the second try too showed the first-line fallback instead: the email's first sentence, cut to 140 characters.";
        if (ranked.Count > 1)
        {
            var other = ranked[1];
            var checksLine = Assert.Single(lines, l =>
                l.StartsWith("Other checks that sent previews back for a second try: ", StringComparison.Ordinal)
            );
            Assert.Contains($"{other.Key} in {other.Value.Calls} ", checksLine, StringComparison.Ordinal);
            Assert.EndsWith(fallbackLine, checksLine, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(fallbackLine, lines);
        }

        Assert.All(lines, l => Assert.DoesNotContain("NaN", l, StringComparison.Ordinal));
        Assert.StartsWith("What to do:", lines[^1], StringComparison.Ordinal);

        // Rejected and disliked previews export as cases for the next offline run.
        var exported = (await http.GetStringAsync("/v1/features/mail-preview/review/cases.jsonl"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToList();
        var tagged = (string tag) =>
            exported.Count(e => e.GetProperty("tags").EnumerateArray().Any(t => t.GetString() == tag));
        Assert.Equal(result.Reviews.Count(g => g.Category is not null), tagged("rejected"));
        Assert.Equal(replayed.Count(r => r.Reaction == ReaderReaction.Regenerated), tagged("regenerated"));
        Assert.True(File.Exists(folder.PathOf("production-summary.json")));
    }

    /// <summary>What the guard should have done with an email, worked out from the stand-in's script and the checks.</summary>
    private sealed record Expected(string Route, string Preview, IReadOnlyList<string> Failed);

    /// <summary>
    /// The stand-in's first answer is its scripted mistake (empty when filtered, every sentence when it rambles) or the
    /// previewer's preview; told what failed, it answers the preview, except when filtered. Two attempts, then the
    /// first line.
    /// </summary>
    private static Expected Scripted(Previewer previewer, SpamMessage m)
    {
        var preview = previewer.Preview(m.Body, PreviewStrategy.Central);
        var mistake = PreviewChatClient.MistakeOf(m.Id, m.Body);
        var filtered = mistake == StandInMistake.Filtered;
        var first =
            filtered ? ""
            : mistake == StandInMistake.Rambles ? PreviewChatClient.Rambling(m.Body)
            : preview;
        if (Failing(first).Count == 0)
        {
            return new Expected("direct", first, []);
        }
        var second = filtered ? "" : preview;
        var failed = Failing(first).Concat(Failing(second)).ToList();
        return Failing(second).Count == 0
            ? new Expected("retry", second, Failing(first))
            : new Expected("fallback", previewer.Preview(m.Body, PreviewStrategy.Lead), failed);
    }

    /// <summary>The contract's checks the guard runs (not_empty, short_enough, no_links) that a preview fails, in order.</summary>
    private static List<string> Failing(string preview)
    {
        var length = preview.EnumerateRunes().Count();
        var failed = new List<string>();
        if (length < 20)
        {
            failed.Add("not_empty");
        }
        if (length > 140)
        {
            failed.Add("short_enough");
        }
        if (HasLink(preview))
        {
            failed.Add("no_links");
        }
        return failed;
    }

    /// <summary>The contract's acceptable: not_empty, short_enough and no_links pass, and both criteria pass.</summary>
    private static bool Acceptable(ReplayedPreview r)
    {
        var length = r.Preview.EnumerateRunes().Count();
        return length is >= 20 and <= 140
            && !HasLink(r.Preview)
            && ScriptedReviewer.Informative(r.Preview, r.Message.Subject) == 1
            && ScriptedReviewer.Clarity(r.Preview) >= 4;
    }

    private static bool HasLink(string preview) =>
        preview.Contains("http://", StringComparison.Ordinal)
        || preview.Contains("https://", StringComparison.Ordinal)
        || preview.Contains("www.", StringComparison.Ordinal);

    private static void AssertInterval(JsonElement rate, int successes, int n) =>
        AssertRate(
            new Overlap.Core.Evaluation.MetricValue(
                rate.GetProperty("value").GetDouble(),
                rate.GetProperty("ci_low").GetDouble(),
                rate.GetProperty("ci_high").GetDouble(),
                rate.GetProperty("n").GetInt64()
            ),
            successes,
            n
        );

    private static void AssertRate(Overlap.Core.Evaluation.MetricValue rate, int successes, int n)
    {
        Assert.Equal((long)n, rate.N);
        Assert.Equal(successes / (double)n, rate.Value, 12);
        var interval = Wilson.GetProperty(n.ToString(System.Globalization.CultureInfo.InvariantCulture))[successes];
        Assert.Equal(interval[0].GetDouble(), rate.CiLow, 9);
        Assert.Equal(interval[1].GetDouble(), rate.CiHigh, 9);
    }

    private static void AssertRate(Findings findings, string metric, int successes, int n)
    {
        var rate = findings.Rates[metric];
        Assert.Equal((long)n, rate.N);
        Assert.Equal(successes / (double)n, rate.Value, 12);
        var interval = Wilson.GetProperty(n.ToString(System.Globalization.CultureInfo.InvariantCulture))[successes];
        Assert.Equal(interval[0].GetDouble(), rate.Low, 9);
        Assert.Equal(interval[1].GetDouble(), rate.High, 9);
    }
}

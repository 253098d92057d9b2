using System.Text.Json;
using Overlap.Core.Sampling;
using Overlap.Demo.Corpus;
using Overlap.Embeddings;
using Overlap.Samples.MailPreview;
using Overlap.Samples.MailPreview.Production;

namespace Overlap.MailPreview.Tests;

/// <summary>
/// The scenario's production half end to end: the real corpus, the real local model behind <c>UseOverlap()</c>, a real
/// server on loopback with its embedded store. Every figure the server reports is checked against counts worked out
/// here again from the scripted rules, and every interval against statsmodels' (Fixtures/make_wilson_fixtures.py).
/// </summary>
public class ProductionRunTests
{
    private const int Replayed = 60;

    private static readonly JsonElement Wilson = JsonDocument
        .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "wilson.json")))
        .RootElement.GetProperty("intervals");

    [Fact]
    public async Task LaterMail_ThroughUseOverlap_IsJudgedByTheServer_AsTheScriptedRulesSay()
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

        // Every email was previewed once, named by its id and the version, with version 2's own preview.
        Assert.Equal(mail.Select(m => $"{m.Id}.preview-central@2"), replayed.Select(r => r.Id));
        var previewer = new Previewer(embedder);
        Assert.All(replayed, r => Assert.Equal(previewer.Preview(r.Message.Body, PreviewStrategy.Central), r.Preview));

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
        var lines = findings.Lines().ToList();
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

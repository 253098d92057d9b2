using System.Text.Json;
using Overlap.Demo.Corpus;
using Overlap.Embeddings;
using Overlap.Samples.MailPreview;

namespace Overlap.MailPreview.Tests;

/// <summary>The scenario's offline half end to end: the real corpus (fetched with npm once), the real local model.</summary>
public class OfflineRunTests
{
    [Fact]
    public async Task Previews_OfRealMail_AreJudgedAgainstTheContract_BesideVersionOne()
    {
        var corpus = await new SpamCorpus().LoadAsync();
        using var embedder = new MiniLmEmbedder();
        using var folder = new TempFolder();
        var result = OfflineRun.Run(corpus, embedder, folder.Path, 120);

        Assert.Equal(120, result.Cases.Count);
        Assert.All(result.Cases, c => Assert.False(c.Message.IsSpam));
        // Version 2 never picks a sentence with an address when the email has one without.
        Assert.All(result.Cases.Where(c => MailText.Sentences(c.Message.Body).Any(s => !MailText.HasAddress(s))), c =>
            Assert.False(MailText.HasAddress(c.Central), c.Central)
        );
        var graded = result.Cases.Count(c => c.Graded);
        Assert.InRange(graded, 40, 80); // a stable half, by id

        using var json = JsonDocument.Parse(File.ReadAllText(folder.PathOf("eval.json")));
        var root = json.RootElement;
        Assert.Equal(("generative", 120L), (root.GetProperty("task").GetString(), root.GetProperty("n").GetInt64()));
        var informative = root.GetProperty("metrics").GetProperty("rubric.informative.pass_rate");
        Assert.Equal(graded, informative.GetProperty("n").GetInt64());
        // The scripted people's rule, applied here again, gives the same count the evaluation read from the file.
        var passes = result
            .Cases.Where(c => c.Graded)
            .Count(c => ScriptedReviewer.Informative(c.Central, c.Message.Subject) == 1);
        Assert.Equal(passes / (double)graded, informative.GetProperty("value").GetDouble(), 9);
        Assert.True(root.TryGetProperty("comparison", out _));
        foreach (var name in new[] { "eval.md", "eval.html", "cases-v1.jsonl", "cases-v2.jsonl" })
        {
            Assert.True(File.Exists(folder.PathOf(name)), name);
        }
        Assert.DoesNotContain("NaN", File.ReadAllText(folder.PathOf("eval.html")), StringComparison.Ordinal);
    }
}

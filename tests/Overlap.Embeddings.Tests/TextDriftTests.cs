using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Drift;

namespace Overlap.Embeddings.Tests;

/// <summary>Text drift end to end: real text, the real model, the drift analyzer as <c>overlap drift</c> runs it.</summary>
public sealed class TextDriftTests
{
    private static Table TableOf(IEnumerable<string> replies)
    {
        var builder = new TableBuilder(new TableReadOptions { Columns = ["reply"] });
        foreach (var reply in replies)
        {
            builder.AddRow([reply]);
        }
        return builder.Build();
    }

    private static DriftReport Analyze(IEnumerable<string> reference, IEnumerable<string> current) =>
        DriftAnalyzer.Analyze(
            TableOf(reference),
            TableOf(current),
            new DriftOptions
            {
                Policy = new DriftPolicy { Text = ["reply"] },
                TextEmbedder = Fixtures.Embedder,
                MinSamples = 10,
            }
        );

    [Fact]
    public void Analyze_SameKindOfText_DoesNotDrift()
    {
        var replies = Fixtures.Lines("support-replies.txt");
        var report = Analyze(replies.Where((_, i) => i % 2 == 0), replies.Where((_, i) => i % 2 == 1));
        var column = Assert.Single(report.Columns);
        Assert.Equal("text", column.Kind);
        Assert.Equal("domain_classifier", column.Test);
        Assert.False(column.Drift, column.Meaning);
        Assert.InRange(column.Statistic, 0, column.Threshold);
        Assert.StartsWith("the wording has not drifted", column.Meaning, StringComparison.Ordinal);
        Assert.False(report.DatasetDrift);
        var text = Assert.Single(report.Text);
        Assert.Equal((20, 20), (text.ReferenceSampled, text.CurrentSampled));
        Assert.Equal("all-MiniLM-L6-v2", text.Model);
        Assert.InRange(text.MmdPValue, 0.05, 1);
    }

    [Fact]
    public void Analyze_AnotherTopic_DriftsWithAnAucNearOne()
    {
        var report = Analyze(Fixtures.Lines("support-replies.txt"), Fixtures.Lines("recipes.txt"));
        var column = Assert.Single(report.Columns);
        Assert.True(column.Drift, column.Meaning);
        Assert.InRange(column.Statistic, 0.95, 1.0);
        Assert.Equal(1.0 / 200, column.PValue!.Value, 12);
        Assert.StartsWith("the wording has drifted: a classifier tells", column.Meaning, StringComparison.Ordinal);
        Assert.True(report.DatasetDrift);
        Assert.Contains(report.Statements, s =>
            s.StartsWith("'reply' drifted: the wording has drifted", StringComparison.Ordinal)
        );
        var text = Assert.Single(report.Text);
        Assert.Equal(
            ["reply.length", "reply.words", "reply.unknown_words", "reply.non_ascii_letters", "reply.language"],
            text.Descriptors.Select(d => d.Column)
        );
        Assert.Equal(1.0 / 200, text.MmdPValue, 12);
        // Recipes use words support replies never do.
        Assert.True(text.Descriptors.Single(d => d.Column == "reply.unknown_words").Drift);
    }

    [Fact]
    public void Analyze_TooFewTexts_IsNotJudged()
    {
        var replies = Fixtures.Lines("support-replies.txt");
        var report = Analyze(replies.Take(5), replies.Skip(5).Take(5));
        var column = Assert.Single(report.Columns);
        Assert.Null(column.DriftVerdict);
        Assert.Contains("not enough data", column.Reason, StringComparison.Ordinal);
    }
}

using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Drift;

namespace Overlap.Core.Tests.Drift;

/// <summary>A text column where no embedding model is at hand (the server's windows): descriptors only, no verdict.</summary>
public sealed class TextDriftWithoutModelTests
{
    private static Table Texts(IEnumerable<string> texts)
    {
        var builder = new TableBuilder(new TableReadOptions { Columns = ["reply"] });
        foreach (var t in texts)
        {
            builder.AddRow([t]);
        }
        return builder.Build();
    }

    [Fact]
    public void Analyze_TextColumnWithoutEmbedder_TestsDescriptorsAndLeavesTheColumnNotJudged()
    {
        var reference = Texts(Enumerable.Range(0, 40).Select(i => $"Your order {i} shipped today."));
        var current = Texts(
            Enumerable
                .Range(0, 40)
                .Select(i => $"Ihre Bestellung {i} ist nicht angekommen, und wir warten auf das Paket {i}.")
        );
        var report = DriftAnalyzer.Analyze(
            reference,
            current,
            new DriftOptions { Policy = new DriftPolicy { Text = ["reply"] } }
        );
        var column = Assert.Single(report.Columns);
        Assert.Null(column.DriftVerdict);
        Assert.Contains("no embedding model was given", column.Reason, StringComparison.Ordinal);
        Assert.Equal(0, report.DriftedShare);
        var text = Assert.Single(report.Text);
        Assert.Null(text.Model);
        var byName = text.Descriptors.ToDictionary(d => d.Column);
        Assert.True(byName["reply.length"].Drift);
        Assert.True(byName["reply.language"].Drift);
        Assert.Contains(report.Statements, s =>
            s.StartsWith("'reply.language' (describing the texts of 'reply') drifted", StringComparison.Ordinal)
        );
    }
}

using System.Text.Json;

namespace Overlap.Cli.Tests;

/// <summary><c>overlap drift --text</c>: text columns judged on the real model's embeddings and on descriptors.</summary>
public sealed class DriftTextTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("overlap-drift-text-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    /// <summary>A CSV with the texts of a fixture file as its <c>reply</c> column and a steady <c>channel</c>.</summary>
    private string Csv(string name, string fixture)
    {
        var lines = File.ReadAllLines(CliRun.RepoFile("tests/Overlap.Embeddings.Tests/Fixtures/" + fixture))
            .Where(l => l.Length > 0)
            .Select(
                (l, i) => $"\"{l.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{(i % 2 == 0 ? "email" : "chat")}"
            );
        var path = Path.Combine(_temp, name);
        File.WriteAllLines(path, ["reply,channel", .. lines]);
        return path;
    }

    [Fact]
    public async Task Drift_TextColumnOnAnotherTopic_SaysTheWordingDriftedInJsonAndMarkdown()
    {
        var reference = Csv("reference.csv", "support-replies.txt");
        var current = Csv("current.csv", "recipes.txt");
        var markdown = Path.Combine(_temp, "drift.md");
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "drift",
            "--reference",
            reference,
            "--current",
            current,
            "--text",
            "reply",
            "--min-samples",
            "10",
            "--format",
            "json",
            "--output",
            markdown
        );
        Assert.True(code == 1, stderr);
        using var json = JsonDocument.Parse(stdout);
        var columns = json.RootElement.GetProperty("columns").EnumerateArray().ToList();
        var reply = columns.Single(c => c.GetProperty("column").GetString() == "reply");
        Assert.Equal("text", reply.GetProperty("kind").GetString());
        Assert.Equal("domain_classifier", reply.GetProperty("test").GetString());
        Assert.True(reply.GetProperty("drift").GetBoolean());
        Assert.InRange(reply.GetProperty("statistic").GetDouble(), 0.95, 1.0);
        var text = Assert.Single(json.RootElement.GetProperty("text").EnumerateArray());
        Assert.Equal("all-MiniLM-L6-v2", text.GetProperty("model").GetString());
        Assert.Equal(5, text.GetProperty("descriptors").GetArrayLength());
        // channel is a category like any other, alternating the same way on both sides.
        Assert.False(
            columns.Single(c => c.GetProperty("column").GetString() == "channel").GetProperty("drift").GetBoolean()
        );
        var md = await File.ReadAllTextAsync(markdown);
        Assert.Contains("### Text column reply", md, StringComparison.Ordinal);
        Assert.Contains(
            "the wording has drifted: a classifier tells the current texts from the reference's with ROC AUC",
            md,
            StringComparison.Ordinal
        );
        Assert.Contains("| reply.unknown_words |", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_TextNamesAColumnTheDataLacks_FailsWithOneLineSayingWhich()
    {
        var reference = Csv("reference.csv", "support-replies.txt");
        var (code, _, stderr) = await CliRun.RunAsync(
            "drift",
            "--reference",
            reference,
            "--current",
            reference,
            "--text",
            "replies"
        );
        Assert.Equal(65, code);
        CliRun.AssertOneLineError(stderr, "'replies' is named as a text column", "reply");
    }
}

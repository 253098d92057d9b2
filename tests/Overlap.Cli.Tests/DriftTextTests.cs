using System.Text.Json;

namespace Overlap.Cli.Tests;

/// <summary><c>overlap drift --text</c>: text columns judged on the real model's embeddings and on descriptors.</summary>
public sealed class DriftTextTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("overlap-drift-text-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    /// <summary>A CSV with the texts of a fixture file as its <c>reply</c> column and a steady <c>channel</c>.</summary>
    private string Csv(string name, string fixture, Func<int, bool>? rows = null)
    {
        var lines = File.ReadAllLines(CliRun.RepoFile("tests/Overlap.Embeddings.Tests/Fixtures/" + fixture))
            .Where(l => l.Length > 0)
            .Where((_, i) => rows?.Invoke(i) ?? true)
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
        var html = Path.Combine(_temp, "drift.html");
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
            markdown,
            "--output",
            html
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
        Assert.True(text.GetProperty("mmd").GetDouble() > 0);
        Assert.Equal(0.005, text.GetProperty("mmd_p_value").GetDouble(), 12);
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
        Assert.Contains("kernel two-sample test on the same embeddings: MMD² 0.", md, StringComparison.Ordinal);
        var page = await File.ReadAllTextAsync(html);
        Assert.Contains("Text columns", page, StringComparison.Ordinal);
        Assert.Contains("<b>reply.language</b>", page, StringComparison.Ordinal);
        Assert.Contains("the wording has drifted", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_TheContractsDriftText_JudgesTheColumnAsText()
    {
        var reference = Csv("reference.csv", "support-replies.txt");
        var current = Csv("current.csv", "recipes.txt");
        var contract = Path.Combine(_temp, "overlap.yaml");
        File.WriteAllText(
            contract,
            "feature: replies\ntask: generative\ncolumns: { output: reply, segments: [channel] }\nchecks:\n  - { name: short_enough, max_length: 1200 }\ndrift: { text: [reply] }\n"
        );
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "drift",
            "--contract",
            contract,
            "--reference",
            reference,
            "--current",
            current,
            "--min-samples",
            "10",
            "--format",
            "json"
        );
        Assert.True(code == 1, stderr);
        using var json = JsonDocument.Parse(stdout);
        var reply = json
            .RootElement.GetProperty("columns")
            .EnumerateArray()
            .Single(c => c.GetProperty("column").GetString() == "reply");
        Assert.Equal(
            ("text", "domain_classifier", true),
            (
                reply.GetProperty("kind").GetString(),
                reply.GetProperty("test").GetString(),
                reply.GetProperty("drift").GetBoolean()
            )
        );
    }

    [Fact]
    public async Task Drift_SameKindOfTextInTheTerminal_SaysTheWordingHasNotDriftedAndListsTheDescriptors()
    {
        // Two halves of one set of replies: new texts of the same kind, as next week's would be.
        var reference = Csv("reference.csv", "support-replies.txt", i => i % 2 == 0);
        var current = Csv("current.csv", "support-replies.txt", i => i % 2 == 1);
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "drift",
            "--reference",
            reference,
            "--current",
            current,
            "--text",
            "reply",
            "--columns",
            "channel",
            "--min-samples",
            "10"
        );
        Assert.True(code == 0, stderr);
        Assert.Contains("reply: the wording has not drifted", stdout, StringComparison.Ordinal);
        Assert.Contains(
            "Text column reply (all-MiniLM-L6-v2: 20 reference texts and 20 current texts",
            stdout,
            StringComparison.Ordinal
        );
        Assert.Contains("reply.length stable", stdout, StringComparison.Ordinal);
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

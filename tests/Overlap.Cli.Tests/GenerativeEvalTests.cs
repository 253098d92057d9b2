using System.Text.Json;
using System.Xml.Linq;

namespace Overlap.Cli.Tests;

/// <summary><c>overlap eval</c> and <c>overlap gate</c> on a generative contract: examples/support-replies and hand-made files, through the real entry point.</summary>
public sealed class GenerativeEvalTests
{
    private static readonly string Contract = CliRun.RepoFile("examples/support-replies/overlap.yaml");
    private static readonly string Cases = CliRun.RepoFile("examples/support-replies/cases.jsonl");

    [Fact]
    public async Task Example_IsInconclusive_AndWritesEveryReport()
    {
        using var f = new TempFolder();
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "eval",
            "--contract",
            Contract,
            "--data",
            Cases,
            "-o",
            f.PathOf("r.json"),
            "-o",
            f.PathOf("r.md"),
            "-o",
            f.PathOf("r.xml"),
            "-o",
            f.PathOf("r.html")
        );
        Assert.True(code == 2, stderr);
        Assert.Contains(
            "71 of every 100 drafts are acceptable (55% to 84% at 95% confidence).",
            stdout,
            StringComparison.Ordinal
        );
        Assert.Contains("Worst outputs", stdout, StringComparison.Ordinal);
        Assert.Contains("T-1003: We guarantee a refund for every problem", stdout, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(File.ReadAllText(f.PathOf("r.json")));
        var root = json.RootElement;
        Assert.Equal(
            ("generative", "inconclusive", 40L),
            (
                root.GetProperty("task").GetString(),
                root.GetProperty("verdict").GetString(),
                root.GetProperty("n").GetInt64()
            )
        );
        var acceptable = root.GetProperty("metrics").GetProperty("acceptable_rate");
        Assert.Equal(35, acceptable.GetProperty("n").GetInt64());
        Assert.Equal(0.5494506513681738, acceptable.GetProperty("ci_low").GetDouble(), 12); // statsmodels, Fixtures/generative
        Assert.Equal(
            ["chat", "email"],
            root.GetProperty("segments")
                .GetProperty("channel")
                .EnumerateObject()
                .Select(p => p.Name)
                .Order(StringComparer.Ordinal)
        );
        Assert.True(root.GetProperty("segments").GetProperty("tags").TryGetProperty("refund", out _));
        Assert.Equal("T-1003", root.GetProperty("worst_outputs")[0].GetProperty("id").GetString());

        var markdown = File.ReadAllText(f.PathOf("r.md"));
        Assert.Contains("### Worst outputs", markdown, StringComparison.Ordinal);
        Assert.Contains("| `acceptable_rate ≥ 0.6` |", markdown, StringComparison.Ordinal);
        var junit = XDocument.Load(f.PathOf("r.xml"));
        Assert.Equal(8, junit.Descendants("testcase").Count());
        var html = File.ReadAllText(f.PathOf("r.html"));
        Assert.Contains("Worst outputs", html, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CsvCases_WithQuotedTextAndSemicolonTags_AreReadLikeJsonLines()
    {
        using var f = new TempFolder();
        var contract = f.Write(
            "overlap.yaml",
            "feature: f\ntask: generative\ncolumns: { id: id, output: out, tags: tags }\nwords: { output: reply }\nchecks:\n  - { name: polite, contains: [please] }\nrubric:\n  - { name: factual, question: Right? }\nrequirements:\n  - { metric: acceptable_rate, by: tags, min: 0.5 }\n"
        );
        var data = f.Write(
            "cases.csv",
            "id,out,tags,rubric.factual\n1,\"Yes, please wait\",refund;angry,pass\n2,\"No, \"\"never\"\"\",refund,fail\n3,please,,\n"
        );
        var (code, stdout, stderr) = await CliRun.RunAsync("eval", "-c", contract, "-d", data, "--format", "json");
        Assert.True(code == 2, stderr);
        using var json = JsonDocument.Parse(stdout);
        var tags = json.RootElement.GetProperty("segments").GetProperty("tags");
        Assert.Equal(2, tags.GetProperty("refund").GetProperty("n").GetInt64());
        Assert.Equal(1, tags.GetProperty("angry").GetProperty("n").GetInt64());
        var acceptable = json.RootElement.GetProperty("metrics").GetProperty("acceptable_rate");
        Assert.Equal((0.5, 2L), (acceptable.GetProperty("value").GetDouble(), acceptable.GetProperty("n").GetInt64()));
        Assert.Equal(
            "2: No, \"never\"",
            json.RootElement.GetProperty("worst_outputs")[0].GetProperty("id").GetString()
                + ": "
                + json.RootElement.GetProperty("worst_outputs")[0].GetProperty("output").GetString()
        );
    }

    [Fact]
    public async Task Gate_WorksUnchanged_AndInconclusiveCanPass()
    {
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "gate",
            "-c",
            Contract,
            "-d",
            Cases,
            "--inconclusive",
            "pass"
        );
        Assert.True(code == 0, stderr);
        Assert.Contains("NOT ENOUGH DATA YET", stdout, StringComparison.Ordinal);
    }

    private const string SimilarContract = """
        feature: f
        task: generative
        columns: { id: id, output: out, reference: ref }
        checks:
          - { name: close, similar_to: ref, min: 0.9 }
          - { name: shaped, json_schema: shape.schema.json }
        requirements:
          - { metric: check.close.pass_rate, min: 0.05 }
        """;

    [Fact]
    public async Task SimilarTo_UsesTheEmbedderFromCliIo_AndSchemasBesideTheContract()
    {
        using var f = new TempFolder();
        var contract = f.Write("overlap.yaml", SimilarContract);
        f.Write("shape.schema.json", """{ "type": "object" }""");
        var data = f.Write(
            "cases.jsonl",
            """
            {"id":"a","out":"{\"b\":\"abc\"}","ref":"{\"b\":\"cab\"}"}
            {"id":"b","out":"[1]","ref":"xyz"}
            """
        );
        var embedder = new TestEmbedder();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await OverlapCli.RunAsync(
            ["eval", "-c", contract, "-d", data, "--format", "json"],
            new CliIo(stdout, stderr) { Embedder = () => embedder }
        );
        Assert.True(code == 0, stderr.ToString());
        Assert.Equal([2, 2], embedder.Batches);
        using var json = JsonDocument.Parse(stdout.ToString());
        var metrics = json.RootElement.GetProperty("metrics");
        Assert.Equal(0.5, metrics.GetProperty("check.close.pass_rate").GetProperty("value").GetDouble());
        Assert.Equal(0.5, metrics.GetProperty("check.shaped.pass_rate").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task SimilarTo_WithNoEmbedderInstalled_Exits69_SayingWhatToDo()
    {
        using var f = new TempFolder();
        var contract = f.Write("overlap.yaml", SimilarContract);
        f.Write("shape.schema.json", """{ "type": "object" }""");
        var data = f.Write("cases.jsonl", """{"id":"a","out":"x","ref":"y"}""" + "\n");
        using var stderr = new StringWriter();
        var code = await OverlapCli.RunAsync(
            ["eval", "-c", contract, "-d", data],
            new CliIo(TextWriter.Null, stderr) { Embedder = () => null }
        );
        Assert.Equal(69, code);
        CliRun.AssertOneLineError(stderr.ToString(), "check 'close' (similar_to) needs a sentence-embedding model");
    }

    [Fact]
    public async Task SimilarTo_UsesTheLocalModelShippedWithTheTool()
    {
        using var f = new TempFolder();
        var contract = f.Write(
            "overlap.yaml",
            "feature: f\ntask: generative\ncolumns: { id: id, output: out, reference: ref }\nchecks:\n  - { name: close, similar_to: ref, min: 0.5 }\nrequirements:\n  - { metric: acceptable_rate, min: 0.1 }\n"
        );
        var data = f.Write(
            "cases.jsonl",
            """
            {"id":"same","out":"Your parcel left our warehouse today.","ref":"The package was shipped today."}
            {"id":"other","out":"Quarterly revenue grew by ten percent.","ref":"The package was shipped today."}
            """
        );
        var (code, stdout, stderr) = await CliRun.RunAsync("eval", "-c", contract, "-d", data, "--format", "json");
        Assert.True(code is 0 or 2, stderr);
        using var json = JsonDocument.Parse(stdout);
        // all-MiniLM-L6-v2 puts the paraphrase well above 0.5 and the unrelated sentence near 0.
        Assert.Equal(
            0.5,
            json.RootElement.GetProperty("metrics")
                .GetProperty("check.close.pass_rate")
                .GetProperty("value")
                .GetDouble()
        );
        Assert.Equal("other", json.RootElement.GetProperty("worst_outputs")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task MissingSchemaFile_Exits66_NamingIt()
    {
        using var f = new TempFolder();
        var contract = f.Write("overlap.yaml", SimilarContract);
        var data = f.Write("cases.jsonl", """{"id":"a","out":"x","ref":"y"}""" + "\n");
        var (code, _, stderr) = await CliRun.RunAsync("eval", "-c", contract, "-d", data);
        Assert.Equal(66, code);
        CliRun.AssertOneLineError(stderr, "shape.schema.json", "JSON schema of check 'shaped'");
    }

    [Theory]
    [InlineData(
        "{\"id\":\"a\",\"out\":\"x\",\"tokens\":1,\"rubric.tone\":7}",
        65,
        "data row 1 has '7' in column 'rubric.tone'; write a whole grade from 1 to 5"
    )]
    [InlineData("{\"id\":\"a\",\"out\":\"x\",\"tokens\":-3}", 65, "tokens")]
    public async Task BadCases_Exit65_WithTheRow(string line, int expected, string mentions)
    {
        using var f = new TempFolder();
        var contract = f.Write(
            "overlap.yaml",
            "feature: f\ntask: generative\ncolumns: { id: id, output: out, tokens: tokens }\nrubric:\n  - { name: tone, question: Warm?, scale: 1-5 }\nrequirements:\n  - { metric: rubric.tone.mean, min: 3 }\n"
        );
        var data = f.Write("cases.jsonl", line + "\n");
        var (code, _, stderr) = await CliRun.RunAsync("eval", "-c", contract, "-d", data);
        Assert.Equal(expected, code);
        CliRun.AssertOneLineError(stderr, mentions);
    }

    [Fact]
    public async Task Baseline_ComparesTheTwoPrompts_InTheReport()
    {
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "eval",
            "-c",
            Contract,
            "-d",
            Cases,
            "--baseline",
            CliRun.RepoFile("examples/support-replies/baseline.jsonl"),
            "--format",
            "markdown"
        );
        Assert.True(code == 2, stderr);
        Assert.Contains("### Against the baseline", stdout, StringComparison.Ordinal);
        Assert.Contains(
            "| acceptable_rate | 0.5429 | 0.7143 | +0.1714 | p = 0.1094 | noise |",
            stdout,
            StringComparison.Ordinal
        );
    }
}

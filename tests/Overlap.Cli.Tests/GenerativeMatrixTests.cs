using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Overlap.Tests.Shared;

namespace Overlap.Cli.Tests;

/// <summary>
/// <c>overlap eval --outputs</c> and <c>overlap gate --outputs</c>: several output columns of examples/support-replies
/// judged side by side, in every format, with the model judge asked through the in-process stand-in of OpenAI's Chat
/// Completions API (no hosted model can be reached here).
/// </summary>
public sealed class GenerativeMatrixTests
{
    private static readonly string Contract = CliRun.RepoFile("examples/support-replies/overlap.yaml");
    private static readonly string Cases = CliRun.RepoFile("examples/support-replies/cases.jsonl");

    /// <summary>
    /// One file with the earlier prompt's drafts in <c>draft_v1</c> (graded in <c>rubric.&lt;name&gt;.draft_v1</c>) beside
    /// the current ones in <c>draft</c>, and, when asked, a <c>bad</c> column that promises a refund in every case.
    /// </summary>
    private static string MatrixCases(TempFolder f, bool bad = false)
    {
        var baseline = File.ReadAllLines(CliRun.RepoFile("examples/support-replies/baseline.jsonl"));
        var merged = File.ReadAllLines(Cases)
            .Zip(baseline)
            .Select(p =>
            {
                var row = JsonNode.Parse(p.First)!.AsObject();
                var old = JsonNode.Parse(p.Second)!.AsObject();
                row["draft_v1"] = old["draft"]?.DeepClone();
                row["rubric.factual.draft_v1"] = old["rubric.factual"]?.DeepClone();
                row["rubric.tone.draft_v1"] = old["rubric.tone"]?.DeepClone();
                if (bad)
                {
                    row["bad"] = "Hi, I guarantee a refund for this order today.";
                }
                return row.ToJsonString();
            });
        return f.Write("matrix.jsonl", string.Join("\n", merged) + "\n");
    }

    /// <summary>The matrix file with one output column copied into the contract's own columns, for a single evaluation.</summary>
    private static string SingleCases(TempFolder f, string matrix, string column)
    {
        var rows = File.ReadAllLines(matrix)
            .Select(line =>
            {
                var row = JsonNode.Parse(line)!.AsObject();
                foreach (var key in (string[])["draft", "rubric.factual", "rubric.tone"])
                {
                    row[key] = row[key == "draft" ? column : key + "." + column]?.DeepClone();
                }
                return row.ToJsonString();
            });
        return f.Write(column + ".jsonl", string.Join("\n", rows) + "\n");
    }

    /// <summary>The example's contract with the judge pointed at <paramref name="endpoint"/> instead of env: values.</summary>
    private static string JudgedContract(TempFolder f, string endpoint, string budget = "5.00") =>
        f.Write(
            "overlap.yaml",
            File.ReadAllText(Contract)
                .Replace("env:OVERLAP_JUDGE_ENDPOINT", endpoint, StringComparison.Ordinal)
                .Replace("env:OVERLAP_JUDGE_MODEL", "gpt-4o-mini", StringComparison.Ordinal)
                .Replace("env:OVERLAP_JUDGE_KEY", "sk-test", StringComparison.Ordinal)
                .Replace("budget_per_day: 5.00", $"budget_per_day: {budget}", StringComparison.Ordinal)
        );

    private static JsonElement Column(JsonDocument matrix, int index) =>
        matrix.RootElement.GetProperty("outputs")[index].GetProperty("report");

    [Fact]
    public async Task EachColumn_IsJudgedExactlyAsASingleEvaluationOfItWouldBe()
    {
        using var f = new TempFolder();
        var data = MatrixCases(f);
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "eval",
            "-c",
            Contract,
            "-d",
            data,
            "--outputs",
            "draft_v1,draft",
            "--format",
            "json",
            "--no-judge"
        );
        Assert.True(code == 2, stderr);
        using var matrix = JsonDocument.Parse(stdout);
        Assert.Equal(
            ["draft_v1", "draft"],
            matrix.RootElement.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("output").GetString())
        );
        Assert.Equal("inconclusive", matrix.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(40, matrix.RootElement.GetProperty("n").GetInt64());
        var columns = new[] { SingleCases(f, data, "draft_v1"), Cases };
        for (var i = 0; i < columns.Length; i++)
        {
            var (_, single, _) = await CliRun.RunAsync(
                "eval",
                "-c",
                Contract,
                "-d",
                columns[i],
                "--format",
                "json",
                "--no-judge"
            );
            using var one = JsonDocument.Parse(single);
            foreach (var part in (string[])["verdict", "metrics", "segments", "requirements", "worst_outputs"])
            {
                Assert.True(
                    JsonNode.DeepEquals(
                        JsonNode.Parse(one.RootElement.GetProperty(part).GetRawText()),
                        JsonNode.Parse(Column(matrix, i).GetProperty(part).GetRawText())
                    ),
                    $"{part} of {columns[i]} differs from the matrix's column {i}"
                );
            }
        }
        // The two prompts' acceptable rates, as the example's baseline comparison has them: 19 of 35 and 25 of 35.
        double Acceptable(int column) =>
            Column(matrix, column)
                .GetProperty("metrics")
                .GetProperty("acceptable_rate")
                .GetProperty("value")
                .GetDouble();
        Assert.Equal(19.0 / 35, Acceptable(0), 9);
        Assert.Equal(25.0 / 35, Acceptable(1), 9);
    }

    [Fact]
    public async Task EveryFormat_ShowsTheMatrix()
    {
        using var f = new TempFolder();
        var data = MatrixCases(f);
        string[] args =
        [
            "eval",
            "-c",
            Contract,
            "-d",
            data,
            "--outputs",
            "draft_v1, draft",
            "--no-judge",
            "-o",
            f.PathOf("m.json"),
            "-o",
            f.PathOf("m.md"),
            "-o",
            f.PathOf("m.html"),
            "-o",
            f.PathOf("m.xml"),
        ];
        var (code, stdout, stderr) = await CliRun.RunAsync(args);
        Assert.True(code == 2, stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(f.PathOf("m.json")));
        string Verdict(int column, string metric) =>
            Column(json, column)
                .GetProperty("requirements")
                .EnumerateArray()
                .First(r => r.GetProperty("metric").GetString() == metric && !r.TryGetProperty("by", out _))
                .GetProperty("verdict")
                .GetString()!;

        // The terminal: each column's verdict line and the table with every metric.
        Assert.Contains("draft_v1: 54 of every 100 drafts are acceptable", stdout, StringComparison.Ordinal);
        Assert.Contains("draft: 71 of every 100 drafts are acceptable", stdout, StringComparison.Ordinal);
        Assert.Contains("check.greets.pass_rate", stdout, StringComparison.Ordinal);

        var markdown = File.ReadAllText(f.PathOf("m.md"));
        Assert.Contains("| | `draft_v1` | `draft` |", markdown, StringComparison.Ordinal);
        var acceptable = markdown
            .Split('\n')
            .Single(l => l.StartsWith("| `acceptable_rate ≥ 0.6` |", StringComparison.Ordinal));
        Assert.Equal(
            "0.5429 (0.3819 – 0.6953) ⚠️ inconclusive",
            acceptable.Split('|', StringSplitOptions.TrimEntries)[2]
        );

        // The HTML page is well-formed, one header per column, each cell coloured by its requirement's verdict.
        var html = XDocument.Load(f.PathOf("m.html"));
        var table = html.Descendants("table").Single(t => (string?)t.Attribute("class") == "omx");
        Assert.Equal(["", "draft_v1", "draft"], table.Descendants("th").Select(th => th.Value));
        var rows = table.Element("tbody")!.Elements("tr").ToList();
        string[] Classes(string name) =>
            [
                .. rows.Single(r => r.Elements("td").First().Nodes().OfType<XText>().FirstOrDefault()?.Value == name)
                    .Elements("td")
                    .Skip(1)
                    .Select(td => (string)td.Attribute("class")!),
            ];
        Assert.Equal([Verdict(0, "acceptable_rate"), Verdict(1, "acceptable_rate")], Classes("acceptable_rate"));
        Assert.Equal([Verdict(0, "rubric.tone.mean"), Verdict(1, "rubric.tone.mean")], Classes("rubric.tone.mean"));
        Assert.Equal(["none", "none"], Classes("check.greets.pass_rate"));

        // JUnit: one test case per column and requirement, the column in the class name.
        var junit = XDocument.Load(f.PathOf("m.xml"));
        var requirements = Column(json, 0).GetProperty("requirements").GetArrayLength();
        Assert.Equal(
            [
                .. Enumerable.Repeat("overlap.support-replies.draft_v1", requirements),
                .. Enumerable.Repeat("overlap.support-replies.draft", requirements),
            ],
            junit.Descendants("testcase").Select(t => (string)t.Attribute("classname")!)
        );
    }

    [Fact]
    public async Task Gate_GatesEveryColumn_AndExitsByTheWorst()
    {
        using var f = new TempFolder();
        var data = MatrixCases(f, bad: true);
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "gate",
            "-c",
            Contract,
            "-d",
            data,
            "--outputs",
            "draft,draft_v1",
            "--no-judge",
            "--inconclusive",
            "pass"
        );
        Assert.True(code == 0, stderr);
        Assert.Contains("NOT ENOUGH DATA YET  draft:", stdout, StringComparison.Ordinal);
        // Terse: the verdict per column, not the table.
        Assert.DoesNotContain("check.greets.pass_rate", stdout, StringComparison.Ordinal);

        var withBad = await CliRun.RunAsync(
            "gate",
            "-c",
            Contract,
            "-d",
            data,
            "--outputs",
            "draft,bad",
            "--no-judge",
            "--inconclusive",
            "pass"
        );
        Assert.True(withBad.Code == 1, withBad.Err);
        Assert.Contains("FAIL  bad:", withBad.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadMatrixArguments_Exit64_SayingWhatToDo()
    {
        using var f = new TempFolder();
        var data = MatrixCases(f);
        var twice = await CliRun.RunAsync("eval", "-c", Contract, "-d", data, "--outputs", "draft,draft");
        Assert.Equal(64, twice.Code);
        CliRun.AssertOneLineError(twice.Err, "names a column twice", "name each output column once");
        var both = await CliRun.RunAsync("eval", "-c", Contract, "-d", data, "--outputs", "draft", "--baseline", data);
        Assert.Equal(64, both.Code);
        CliRun.AssertOneLineError(both.Err, "--outputs and --baseline do not go together");
        var missing = await CliRun.RunAsync("eval", "-c", Contract, "-d", data, "--outputs", "draft,draft_v9");
        Assert.Equal(65, missing.Code);
        CliRun.AssertOneLineError(missing.Err, "draft_v9");
    }

    [Fact]
    public async Task TheJudge_GradesEveryColumn_AgainstThatColumnsPeople_AndARerunIsAnsweredFromTheCache()
    {
        await using var standIn = await OpenAiStandIn.StartAsync();
        // Every draft passes 'factual' and gets 5 for 'tone'.
        standIn.Rule = request =>
            request.LastUser.Contains("warm and professional", StringComparison.Ordinal)
                ? StandInReply.Grade(5, "warm")
                : StandInReply.Grade(1, "as the ticket says");
        using var f = new TempFolder();
        var contract = JudgedContract(f, standIn.Endpoint.ToString());
        var data = MatrixCases(f);
        string[] args =
        [
            "eval",
            "-c",
            contract,
            "-d",
            data,
            "--outputs",
            "draft_v1,draft",
            "--judge-cache",
            f.PathOf("cache"),
            "-o",
            f.PathOf("m.json"),
        ];
        var (code, stdout, stderr) = await CliRun.RunAsync(args);
        Assert.True(code is 1 or 2, stderr);
        Assert.Contains("Model judge on draft_v1", stdout, StringComparison.Ordinal);
        var rows = File.ReadAllLines(data).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var first = standIn.Requests.Count;
        var asked = 0;
        using (var json = JsonDocument.Parse(File.ReadAllText(f.PathOf("m.json"))))
        {
            foreach (var (column, i) in new[] { ("draft_v1", 0), ("draft", 1) })
            {
                var grades = column == "draft" ? "rubric.factual" : "rubric.factual." + column;
                var drafts = rows.Count(r =>
                    r.TryGetProperty(column, out var d) && !string.IsNullOrWhiteSpace(d.GetString())
                );
                // Outputs graded both by people (in this column's grade column) and by the judge, and how many of
                // those people passed: the judge passed them all.
                var both = rows.Where(r =>
                        r.TryGetProperty(column, out var d)
                        && !string.IsNullOrWhiteSpace(d.GetString())
                        && r.TryGetProperty(grades, out var g)
                        && g.ValueKind == JsonValueKind.String
                    )
                    .ToList();
                var judge = Column(json, i).GetProperty("judge");
                Assert.Equal(
                    (drafts * 2, drafts * 2),
                    (judge.GetProperty("asked").GetInt32(), judge.GetProperty("graded").GetInt32())
                );
                asked += drafts * 2;
                var factual = judge.GetProperty("agreements")[0];
                Assert.Equal(
                    ("factual", (long)both.Count, (long)both.Count(r => r.GetProperty(grades).GetString() == "pass")),
                    (
                        factual.GetProperty("criterion").GetString(),
                        factual.GetProperty("outputs").GetInt64(),
                        factual.GetProperty("agreeing").GetInt64()
                    )
                );
            }
        }
        // Drafts repeated word for word (within a column or across the two) are asked once.
        Assert.InRange(first, 2, asked);

        var again = await CliRun.RunAsync(args);
        Assert.Equal(code, again.Code);
        Assert.Equal(first, standIn.Requests.Count);
        using var rerun = JsonDocument.Parse(File.ReadAllText(f.PathOf("m.json")));
        for (var i = 0; i < 2; i++)
        {
            var judge = Column(rerun, i).GetProperty("judge");
            Assert.Equal(judge.GetProperty("asked").GetInt32(), judge.GetProperty("from_cache").GetInt32());
        }
    }

    [Fact]
    public async Task TheDaysBudget_IsSharedByTheColumns()
    {
        await using var standIn = await OpenAiStandIn.StartAsync();
        using var f = new TempFolder();
        // A budget one call's price (120 + 15 tokens of gpt-4o-mini) exceeds: the calls under way when it is spent finish.
        var contract = JudgedContract(f, standIn.Endpoint.ToString(), budget: "0.000001");
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "eval",
            "-c",
            contract,
            "-d",
            MatrixCases(f),
            "--outputs",
            "draft_v1,draft",
            "--judge-cache",
            f.PathOf("cache"),
            "--format",
            "json"
        );
        Assert.True(code is 1 or 2, stderr);
        using var json = JsonDocument.Parse(stdout);
        var (v1, current) = (Column(json, 0).GetProperty("judge"), Column(json, 1).GetProperty("judge"));
        int Get(JsonElement j, string name) => j.GetProperty(name).GetInt32();
        // Each answered call is one request, all made while grading the first column; the second asks nothing new.
        Assert.True(Get(v1, "skipped_for_budget") > 0);
        Assert.Equal(Get(current, "asked"), Get(current, "skipped_for_budget") + Get(current, "from_cache"));
        Assert.Equal(Get(v1, "asked") - Get(v1, "skipped_for_budget") - Get(v1, "from_cache"), standIn.Requests.Count);
    }

    [Fact]
    public async Task AJudgeThatCannotRun_SaysWhyOnEveryColumn_AsTheSingleRunDoes()
    {
        using var f = new TempFolder();
        var contract = f.Write(
            "overlap.yaml",
            File.ReadAllText(Contract)
                .Replace("env:OVERLAP_JUDGE_ENDPOINT", "env:OVERLAP_TEST_UNSET_ENDPOINT", StringComparison.Ordinal)
        );
        var data = MatrixCases(f);
        var (_, matrix, _) = await CliRun.RunAsync(
            "eval",
            "-c",
            contract,
            "-d",
            data,
            "--outputs",
            "draft_v1,draft",
            "--format",
            "json"
        );
        var (_, single, _) = await CliRun.RunAsync("eval", "-c", contract, "-d", Cases, "--format", "json");
        using var m = JsonDocument.Parse(matrix);
        using var s = JsonDocument.Parse(single);
        var reason = s.RootElement.GetProperty("judge").GetProperty("not_run").GetString();
        Assert.Contains("OVERLAP_TEST_UNSET_ENDPOINT", reason, StringComparison.Ordinal);
        Assert.Equal(
            [reason, reason],
            m.RootElement.GetProperty("outputs")
                .EnumerateArray()
                .Select(o => o.GetProperty("report").GetProperty("judge").GetProperty("not_run").GetString())
        );
    }
}

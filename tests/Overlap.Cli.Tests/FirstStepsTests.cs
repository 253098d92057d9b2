using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;

namespace Overlap.Cli.Tests;

/// <summary>A new user's first commands: contract init, validate with every error, and a gate whose step summary cannot be written.</summary>
public sealed class FirstStepsTests
{
    private static readonly string Scored = CliRun.RepoFile("examples/payments-fraud/scored.csv");

    [Fact]
    public async Task ContractValidate_EmptyContract_PointsAtACommandThatExistsAndWritesAValidContract()
    {
        using var folder = new TempFolder();
        var empty = folder.Write("overlap.yaml", "\n");
        var (code, _, stderr) = await CliRun.RunAsync("contract", "validate", empty);
        Assert.Equal(65, code);
        Assert.Contains("overlap contract init --data", stderr, StringComparison.Ordinal);

        // The command the error names exists and does what it says.
        var written = folder.PathOf("drafted.yaml");
        var init = await CliRun.RunAsync("contract", "init", "--data", Scored, "-o", written);
        Assert.True(init.Code == 0, init.Err);
        var validate = await CliRun.RunAsync("contract", "validate", written);
        Assert.True(validate.Code == 0, validate.Err);
        Assert.Contains(
            "valid contract for 'payments-fraud' (binary, 2 requirements)",
            validate.Out,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task ContractInit_Generative_DraftsTheTemplateFromTheCaseFile_AndItEvaluatesTheCases()
    {
        using var folder = new TempFolder();
        var written = folder.PathOf("overlap.yaml");
        var cases = CliRun.RepoFile("examples/support-replies/cases.jsonl");
        var (code, _, stderr) = await CliRun.RunAsync(
            "contract",
            "init",
            "-d",
            cases,
            "-o",
            written,
            "--task",
            "generative"
        );
        Assert.True(code == 0, stderr);
        Assert.Contains(
            "a generative contract for 'support-replies' with 4 checks, 2 rubric criteria",
            stderr,
            StringComparison.Ordinal
        );
        var yaml = File.ReadAllText(written);
        foreach (
            var line in (string[])
                [
                    "task: generative",
                    "  id: ticket_id",
                    "  input: question",
                    "  output: draft",
                    "  reference: agent_reply",
                ]
        )
        {
            Assert.Contains(line, yaml, StringComparison.Ordinal);
        }
        var eval = await CliRun.RunAsync(
            "eval",
            "-c",
            written,
            "-d",
            cases,
            "-f",
            "json",
            "--no-judge",
            "--resamples",
            "100"
        );
        Assert.True(eval.Code is 0 or 1 or 2, eval.Err);
        using var json = JsonDocument.Parse(eval.Out);
        Assert.Equal(
            ("generative", 40L),
            (json.RootElement.GetProperty("task").GetString(), json.RootElement.GetProperty("n").GetInt64())
        );
        // People's tone grades in the file's rubric.tone column are read by the template's 'tone' criterion.
        Assert.Equal(
            35,
            json.RootElement.GetProperty("metrics").GetProperty("rubric.tone.mean").GetProperty("n").GetInt64()
        );
        Assert.Equal(
            [
                "check.no_promise.pass_rate",
                "check.on_topic.pass_rate",
                "check.says_something.pass_rate",
                "check.short_enough.pass_rate",
            ],
            json.RootElement.GetProperty("metrics")
                .EnumerateObject()
                .Select(m => m.Name)
                .Where(n => n.StartsWith("check.", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
        );
    }

    [Fact]
    public async Task ContractInit_GuessesFromColumnNames_AndTheContractEvaluatesTheData()
    {
        using var folder = new TempFolder();
        var written = folder.PathOf("overlap.yaml");
        var (code, _, stderr) = await CliRun.RunAsync(
            "contract",
            "init",
            "-d",
            Scored,
            "-o",
            written,
            "--segments",
            "channel,region"
        );
        Assert.True(code == 0, stderr);
        var yaml = File.ReadAllText(written);
        Assert.Contains("labels: { positive: fraud, negative: legit }", yaml, StringComparison.Ordinal);
        Assert.Contains("  id: payment_id", yaml, StringComparison.Ordinal);
        Assert.Contains("  time: created_at", yaml, StringComparison.Ordinal);
        Assert.Contains("  label: outcome", yaml, StringComparison.Ordinal);
        Assert.Contains("  score: p_fraud", yaml, StringComparison.Ordinal);
        Assert.Contains("  segments: [channel, region]", yaml, StringComparison.Ordinal);
        Assert.Contains("# ", yaml, StringComparison.Ordinal);
        var eval = await CliRun.RunAsync("eval", "-c", written, "-d", Scored, "-f", "json", "--resamples", "100");
        Assert.True(eval.Code is 0 or 1 or 2, eval.Err);
        using var json = JsonDocument.Parse(eval.Out);
        Assert.Equal(6000, json.RootElement.GetProperty("n").GetInt64());
    }

    [Fact]
    public async Task ContractInit_FlagsWin_AndAnUnknownColumnIsAUsageError()
    {
        using var folder = new TempFolder();
        var written = folder.PathOf("overlap.yaml");
        var (code, _, stderr) = await CliRun.RunAsync(
            "contract",
            "init",
            "-d",
            Scored,
            "-o",
            written,
            "--feature",
            "fraud-check",
            "--positive",
            "legit",
            "--negative",
            "fraud",
            "--id",
            "payment_id"
        );
        Assert.True(code == 0, stderr);
        var yaml = File.ReadAllText(written);
        Assert.Contains("feature: fraud-check", yaml, StringComparison.Ordinal);
        Assert.Contains("labels: { positive: legit, negative: fraud }", yaml, StringComparison.Ordinal);

        var bad = await CliRun.RunAsync(
            "contract",
            "init",
            "-d",
            Scored,
            "-o",
            folder.PathOf("other.yaml"),
            "--label",
            "outcom"
        );
        Assert.Equal(64, bad.Code);
        CliRun.AssertOneLineError(bad.Err, "no column 'outcom'", "did you mean 'outcome'?");
        Assert.False(File.Exists(folder.PathOf("other.yaml")));
    }

    [Fact]
    public async Task ContractInit_ExistingFile_IsKeptUnlessForced()
    {
        using var folder = new TempFolder();
        var existing = folder.Write("overlap.yaml", "# mine\n");
        var (code, _, stderr) = await CliRun.RunAsync("contract", "init", "-d", Scored, "-o", existing);
        Assert.Equal(73, code);
        CliRun.AssertOneLineError(stderr, "already exists", "--force");
        Assert.Equal("# mine\n", File.ReadAllText(existing));
        var forced = await CliRun.RunAsync("contract", "init", "-d", Scored, "-o", existing, "--force");
        Assert.True(forced.Code == 0, forced.Err);
        Assert.StartsWith("# overlap.yaml", File.ReadAllText(existing), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContractValidate_SeveralMistakes_ReportsEachOnItsOwnLine()
    {
        using var folder = new TempFolder();
        var contract = folder.Write(
            "overlap.yaml",
            """
            feature: fraud
            task: binary
            labels: { positive: fraud, negative: legit }
            columns: { label: outcome, score: p_fraud }
            treshold: 0.4
            requirements:
              - { metric: recal, min: 0.9 }
              - { metric: precision, mni: 0.8 }
            """
        );
        var (code, _, stderr) = await CliRun.RunAsync("contract", "validate", contract);
        Assert.Equal(65, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"error: {contract}:5: unknown key 'treshold'", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"error: {contract}:7: unknown metric 'recal'", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"error: {contract}:8: ", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_EveryReport_SaysWhatProducedIt()
    {
        using var folder = new TempFolder();
        var contract = CliRun.RepoFile("examples/payments-fraud/overlap.yaml");
        var baseline = CliRun.RepoFile("examples/payments-fraud/baseline.csv");
        var before = TimeProvider.System.GetUtcNow();
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "eval",
            "-c",
            contract,
            "-d",
            Scored,
            "--baseline",
            baseline,
            "-f",
            "json",
            "--resamples",
            "100",
            "--seed",
            "7",
            "-o",
            folder.PathOf("r.md"),
            "-o",
            folder.PathOf("r.xml"),
            "-o",
            folder.PathOf("r.html"),
            "-o",
            folder.PathOf("r.txt")
        );
        Assert.True(code == 2, stderr);
        using var json = JsonDocument.Parse(stdout);
        var p = json.RootElement.GetProperty("provenance");
        Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("overlap_version").GetString()));
        Assert.Equal("overlap.yaml", p.GetProperty("contract").GetString());
        Assert.False(p.TryGetProperty("contract_version", out _));
        Assert.Equal(Sha(contract), p.GetProperty("contract_sha256").GetString());
        Assert.Equal(7UL, p.GetProperty("seed").GetUInt64());
        Assert.Equal(100, p.GetProperty("resamples").GetInt32());
        Assert.InRange(
            p.GetProperty("created_at").GetDateTimeOffset(),
            before.AddSeconds(-1),
            TimeProvider.System.GetUtcNow().AddSeconds(1)
        );
        var data = p.GetProperty("data")
            .EnumerateArray()
            .Select(d =>
                (
                    d.GetProperty("role").GetString(),
                    d.GetProperty("name").GetString(),
                    d.GetProperty("sha256").GetString(),
                    d.GetProperty("rows").GetInt64()
                )
            )
            .ToList();
        Assert.Equal(
            [("data", "scored.csv", Sha(Scored), 6000L), ("baseline", "baseline.csv", Sha(baseline), 6000L)],
            data
        );

        var markdown = File.ReadAllText(folder.PathOf("r.md"));
        Assert.Contains($"| data | scored.csv, 6,000 rows, sha256 {Sha(Scored)} |", markdown, StringComparison.Ordinal);
        Assert.Contains("| seed | 7 |", markdown, StringComparison.Ordinal);
        var properties = XDocument
            .Load(folder.PathOf("r.xml"))
            .Descendants("property")
            .ToDictionary(e => e.Attribute("name")!.Value, e => e.Attribute("value")!.Value);
        Assert.Equal(
            $"overlap.yaml, no version (a file), sha256 {Sha(contract)}",
            properties["overlap.provenance.contract"]
        );
        Assert.Equal("100", properties["overlap.provenance.resamples"]);
        var html = XDocument.Parse(
            File.ReadAllText(folder.PathOf("r.html")).Replace("<!DOCTYPE html>", string.Empty, StringComparison.Ordinal)
        );
        var section = html.Descendants().Single(e => (string?)e.Attribute("id") == "provenance");
        Assert.Contains($"baseline.csv, 6,000 rows, sha256 {Sha(baseline)}", section.Value, StringComparison.Ordinal);
        var text = File.ReadAllText(folder.PathOf("r.txt"));
        Assert.Contains($"data: scored.csv, 6,000 rows, sha256 {Sha(Scored)}", text, StringComparison.Ordinal);
        Assert.Contains("seed: 7", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_Report_SaysWhichFilesItCompared()
    {
        var reference = CliRun.RepoFile("examples/payments-fraud/reference.csv");
        var current = CliRun.RepoFile("examples/payments-fraud/current.csv");
        var contract = CliRun.RepoFile("examples/payments-fraud/overlap.yaml");
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "drift",
            "--reference",
            reference,
            "--current",
            current,
            "--contract",
            contract,
            "--format",
            "json"
        );
        Assert.True(code is 0 or 1, stderr);
        using var json = JsonDocument.Parse(stdout);
        var p = json.RootElement.GetProperty("provenance");
        Assert.Equal(Sha(contract), p.GetProperty("contract_sha256").GetString());
        var data = p.GetProperty("data")
            .EnumerateArray()
            .Select(d =>
                (
                    d.GetProperty("role").GetString(),
                    d.GetProperty("name").GetString(),
                    d.GetProperty("sha256").GetString()
                )
            )
            .ToList();
        Assert.Equal([("reference", "reference.csv", Sha(reference)), ("current", "current.csv", Sha(current))], data);
        Assert.Equal(
            json.RootElement.GetProperty("reference_rows").GetInt64(),
            p.GetProperty("data")[0].GetProperty("rows").GetInt64()
        );
        Assert.False(p.TryGetProperty("seed", out _));
    }

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}

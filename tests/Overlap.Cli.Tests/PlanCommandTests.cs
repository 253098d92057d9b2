using System.Text.Json;

namespace Overlap.Cli.Tests;

public sealed class PlanCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-plan-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Example(string file) => CliRun.RepoFile("examples/payments-fraud/" + file);

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRun.RunAsync(args);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Plan_Compare_JsonMatchesStatsmodels()
    {
        var (code, stdout, stderr) = await Run(
            "plan",
            "--compare",
            "--baseline-rate",
            "0.90",
            "--candidate-rate",
            "0.93",
            "--format",
            "json"
        );
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        // ceil(NormalIndPower().solve_power(proportion_effectsize(0.93, 0.90), alpha=0.05, power=0.8)) = ceil(1346.46)
        Assert.Equal(1347, json.GetProperty("per_arm").GetInt64());
        Assert.Equal(2694, json.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Plan_Metric_TextSaysCountsInWords()
    {
        var (code, stdout, _) = await Run(
            "plan",
            "--metric",
            "recall",
            "--expected",
            "0.9",
            "--margin",
            "0.02",
            "--prevalence",
            "0.1"
        );
        Assert.Equal(0, code);
        Assert.Contains(
            "you need about 868 labelled positive cases — about 8,680 labelled cases at a 10% share.",
            stdout,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Plan_ContractWithData_JsonHasEveryProportionRequirement()
    {
        var (code, stdout, stderr) = await Run(
            "plan",
            "--contract",
            Example("overlap.yaml"),
            "--data",
            Example("scored.csv"),
            "--margin",
            "0.03",
            "--format",
            "json"
        );
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("payments-fraud", json.GetProperty("feature").GetString());
        Assert.Equal(6000, json.GetProperty("data_rows").GetInt64());
        var reqs = json.GetProperty("requirements").EnumerateArray().ToList();
        Assert.Equal(
            ["recall", "false_positive_rate", "precision", "recall"],
            reqs.Select(r => r.GetProperty("metric").GetString())
        );
        var recall = reqs[0];
        Assert.Equal("positives", recall.GetProperty("basis").GetString());
        Assert.Equal("min", recall.GetProperty("bound").GetString());
        Assert.Equal("data", recall.GetProperty("expected_from").GetString());
        var expected = recall.GetProperty("expected").GetDouble();
        Assert.Equal(Core.Planning.SampleSize.ForWilson(expected, 0.03, 0.95), recall.GetProperty("needed").GetInt64());
        var current = recall.GetProperty("current").GetInt64();
        Assert.Equal(current / 6000.0, recall.GetProperty("share").GetDouble(), 1e-12);
        var channel = reqs[3];
        Assert.Equal("channel", channel.GetProperty("by").GetString());
        var segments = channel.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal(["app", "pos", "web"], segments.Select(s => s.GetProperty("value").GetString()));
        Assert.All(segments, s =>
            Assert.Equal(
                Math.Max(0, s.GetProperty("needed").GetInt64() - s.GetProperty("current").GetInt64()),
                s.GetProperty("more").GetInt64()
            )
        );
        Assert.Equal(
            ["roc_auc", "recall", "latency_p95_ms"],
            json.GetProperty("skipped").EnumerateArray().Select(s => s.GetProperty("metric").GetString())
        );
    }

    [Fact]
    public async Task Plan_ContractWithData_TextHasSegmentTable()
    {
        var (code, stdout, _) = await Run(
            "plan",
            "--contract",
            Example("overlap.yaml"),
            "--data",
            Example("scored.csv")
        );
        Assert.Equal(0, code);
        Assert.Contains("labelled fraudulent payments", stdout, StringComparison.Ordinal);
        Assert.Contains("│ web", stdout, StringComparison.Ordinal);
        Assert.Contains("Not sized: latency_p95_ms", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_DataWithoutPositives_SaysNoneIsLabelledYet_AndLeavesNoDash()
    {
        // Only legitimate payments: no group has a fraudulent one, so "60% now" would be a figure nobody measured.
        var lines = File.ReadAllLines(Example("scored.csv"));
        var legit = Write(
            "legit.csv",
            string.Join(
                '\n',
                lines.Take(1).Concat(lines.Skip(1).Where(l => l.EndsWith(",legit", StringComparison.Ordinal)).Take(500))
            ) + "\n"
        );
        var (code, stdout, stderr) = await Run("plan", "--contract", Example("overlap.yaml"), "--data", legit);
        Assert.True(code == 0, stderr);
        Assert.Contains("(none labelled yet, so sized at 60%, to ±2 points)", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("now, sized", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("│     - │", stdout, StringComparison.Ordinal);
        Assert.Contains("none yet", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_CsvWithUnknownLabel_ExitsDataError()
    {
        var contract = Write(
            "c.yaml",
            "feature: f\ntask: binary\nlabels: { positive: spam, negative: ham }\ncolumns: { label: y, score: s }\nrequirements:\n  - { metric: recall, min: 0.9 }\n"
        );
        var data = Write("d.csv", "y,s\nspam,0.9\nmaybe,0.2\n");
        var (code, _, stderr) = await Run("plan", "--contract", contract, "--data", data);
        Assert.Equal(65, code);
        Assert.Equal(
            $"error: {data}: data row 2 has label 'maybe' in column 'y', but the contract names the labels 'spam' and 'ham'; fix the data or the contract's labels",
            stderr.TrimEnd()
        );
    }

    [Theory]
    [InlineData(
        64,
        "error: say what to plan: --contract overlap.yaml, --metric recall --expected 0.9, or --compare --baseline-rate 0.90 --candidate-rate 0.93",
        "plan"
    )]
    [InlineData(
        64,
        "error: --metric roc_auc is not a proportion, so a Wilson interval does not size it; plan one of: accuracy, precision, recall, specificity, false_positive_rate, false_negative_rate, positive_rate",
        "plan",
        "--metric",
        "roc_auc",
        "--expected",
        "0.9"
    )]
    [InlineData(
        64,
        "error: --metric needs --expected, the rate you expect recall to have, such as --expected 0.9",
        "plan",
        "--metric",
        "recall"
    )]
    [InlineData(
        64,
        "error: --margin is 2; write a number above 0 to 0.5, a half-width such as 0.02",
        "plan",
        "--metric",
        "recall",
        "--expected",
        "0.9",
        "--margin",
        "2"
    )]
    [InlineData(
        64,
        "error: --compare needs --candidate-rate, the rate the new model should reach, such as --candidate-rate 0.93",
        "plan",
        "--compare",
        "--baseline-rate",
        "0.9"
    )]
    [InlineData(
        64,
        "error: --baseline-rate and --candidate-rate are both 0.9; give the rate the new model should reach, such as --candidate-rate 0.93",
        "plan",
        "--compare",
        "--baseline-rate",
        "0.9",
        "--candidate-rate",
        "0.9"
    )]
    [InlineData(
        64,
        "error: plan one thing at a time: use only one of --contract, --metric and --compare",
        "plan",
        "--compare",
        "--metric",
        "recall"
    )]
    [InlineData(
        64,
        "error: --format is 'xml'; write --format text or --format json",
        "plan",
        "--compare",
        "--format",
        "xml"
    )]
    [InlineData(
        64,
        "error: --data needs --contract, which names the label and score columns; add --contract overlap.yaml",
        "plan",
        "--metric",
        "recall",
        "--expected",
        "0.9",
        "--data",
        "x.csv"
    )]
    public async Task Plan_BadInput_OneLineError(int exit, string message, params string[] args)
    {
        var (code, stdout, stderr) = await Run(args);
        Assert.Equal(exit, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(message, stderr.TrimEnd());
    }

    [Fact]
    public async Task Plan_ContractWithoutDataOrPrevalence_AsksForPrevalence()
    {
        var (code, _, stderr) = await Run("plan", "--contract", Example("overlap.yaml"));
        Assert.Equal(64, code);
        Assert.Equal(
            "error: recall (line 20) counts only positive examples, so without --data the plan needs the share of positives; add --prevalence 0.1 (or --data scored.csv)",
            stderr.TrimEnd()
        );
    }

    [Fact]
    public async Task Plan_MissingData_ExitsNoInput()
    {
        var (code, _, stderr) = await Run(
            "plan",
            "--contract",
            Example("overlap.yaml"),
            "--data",
            Path.Combine(_folder, "none.csv")
        );
        Assert.Equal(66, code);
        Assert.StartsWith("error: the data file ", stderr, StringComparison.Ordinal);
    }
}

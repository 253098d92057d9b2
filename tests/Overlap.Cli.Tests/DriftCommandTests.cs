using System.Text.Json;
using Overlap.Cli;

namespace Overlap.Cli.Tests;

public sealed class DriftCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("overlap-drift-").FullName;

    private static string Example(string file) => CliRun.RepoFile("examples/payments-fraud/" + file);

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRun.RunAsync(args);

    private string Copy(string example)
    {
        var path = Path.Combine(_temp, Path.GetFileName(example));
        File.Copy(Example(example), path, overwrite: true);
        return path;
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static void AssertOneLineError(string err, string fragment)
    {
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(fragment, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_WithContract_TestsTheFeaturesAndExitsZeroWhenNotDrifted()
    {
        var (code, stdout, stderr) = await Run(
            "drift",
            "--reference",
            Copy("reference.csv"),
            "--current",
            Copy("current.csv"),
            "--contract",
            Copy("overlap.yaml"),
            "--format",
            "json"
        );
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("payments-fraud", root.GetProperty("feature").GetString());
        Assert.False(root.GetProperty("dataset_drift").GetBoolean());
        var columns = root.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(
            ["amount", "account_age_days", "items", "hour", "channel", "region"],
            columns.Select(c => c.GetProperty("column").GetString())
        );
        var amount = columns[0];
        Assert.Equal("wasserstein", amount.GetProperty("test").GetString());
        Assert.Equal(JsonValueKind.Null, amount.GetProperty("p_value").ValueKind);
        Assert.Equal(0.3096, amount.GetProperty("statistic").GetDouble(), 4);
        Assert.True(amount.GetProperty("drift").GetBoolean());
        Assert.Equal("jensen_shannon", columns[4].GetProperty("test").GetString());
        Assert.Equal(1.0 / 6, root.GetProperty("drifted_share").GetDouble(), 9);
    }

    [Fact]
    public async Task Drift_HalfTheColumnsDrifted_ExitsOne()
    {
        var (code, stdout, _) = await Run(
            "drift",
            "--reference",
            Copy("reference.csv"),
            "--current",
            Copy("current.csv"),
            "--columns",
            "amount,items",
            "--format",
            "json"
        );
        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.True(json.RootElement.GetProperty("dataset_drift").GetBoolean());
        Assert.Equal(0.5, json.RootElement.GetProperty("drifted_share").GetDouble());
    }

    [Fact]
    public async Task Drift_ForcedKs_ReportsPValues()
    {
        var (code, stdout, _) = await Run(
            "drift",
            "--reference",
            Copy("reference.csv"),
            "--current",
            Copy("current.csv"),
            "--columns",
            "amount",
            "--test",
            "ks",
            "--format",
            "json"
        );
        using var json = JsonDocument.Parse(stdout);
        var amount = json.RootElement.GetProperty("columns")[0];
        Assert.Equal("ks", amount.GetProperty("test").GetString());
        Assert.True(amount.GetProperty("p_value").GetDouble() < 0.05);
        Assert.Equal(1, code);
    }

    [Fact]
    public async Task Drift_WritesReportFilesInTheFormatOfTheirExtension()
    {
        var markdown = Path.Combine(_temp, "out", "drift.md");
        var jsonPath = Path.Combine(_temp, "drift.json");
        var (code, stdout, _) = await Run(
            "drift",
            "--reference",
            Copy("reference.csv"),
            "--current",
            Copy("current.csv"),
            "--output",
            markdown,
            "--output",
            jsonPath
        );
        Assert.Equal(0, code);
        Assert.Contains("NO DATASET DRIFT", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(markdown));
        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        Assert.Equal(3000, json.RootElement.GetProperty("reference_rows").GetInt32());
    }

    [Fact]
    public async Task Drift_UnknownColumn_ExitsDataErrorWithSuggestion()
    {
        var (code, _, stderr) = await Run(
            "drift",
            "--reference",
            Copy("reference.csv"),
            "--current",
            Copy("current.csv"),
            "--columns",
            "amount,chanel"
        );
        Assert.Equal(65, code);
        AssertOneLineError(stderr, "did you mean 'channel'?");
    }

    [Fact]
    public async Task Drift_MissingFile_ExitsNoInput()
    {
        var (code, _, stderr) = await Run(
            "drift",
            "--reference",
            Path.Combine(_temp, "nope.csv"),
            "--current",
            Copy("current.csv")
        );
        Assert.Equal(66, code);
        AssertOneLineError(stderr, "does not exist");
    }

    [Theory]
    [InlineData("--test", "t_test", "unknown --test 't_test'")]
    [InlineData("--format", "pdf", "unknown --format 'pdf'")]
    public async Task Drift_BadOption_ExitsUsage(string option, string value, string message)
    {
        var (code, _, stderr) = await Run(
            "drift",
            "--reference",
            Copy("reference.csv"),
            "--current",
            Copy("current.csv"),
            option,
            value
        );
        Assert.Equal(64, code);
        AssertOneLineError(stderr, message);
    }

    [Fact]
    public async Task Drift_WithoutCurrent_ExitsUsage()
    {
        var (code, _, stderr) = await Run("drift", "--reference", Copy("reference.csv"));
        Assert.Equal(64, code);
        Assert.Contains("--current", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_ForcedKsOnCategories_ExitsDataError()
    {
        var (code, _, stderr) = await Run(
            "drift",
            "--reference",
            Copy("reference.csv"),
            "--current",
            Copy("current.csv"),
            "--columns",
            "channel",
            "--test",
            "ks"
        );
        Assert.Equal(65, code);
        AssertOneLineError(stderr, "'channel' holds categories");
    }

    /// <summary>Runs <c>overlap drift</c> on the example's reference and contract against <paramref name="current"/>, as JSON.</summary>
    private Task<(int Code, string Out, string Err)> DriftJson(string current, params string[] extra) =>
        Run([
            "drift",
            "--reference",
            Copy("reference.csv"),
            "--current",
            current,
            "--contract",
            Copy("overlap.yaml"),
            "--format",
            "json",
            .. extra,
        ]);

    /// <summary>The example's current data cut to its header and first <paramref name="rows"/> rows.</summary>
    private string FirstRows(int rows)
    {
        var path = Path.Combine(_temp, $"first-{rows}.csv");
        File.WriteAllLines(path, File.ReadAllLines(Example("current.csv")).Take(rows + 1));
        return path;
    }

    /// <summary>The example's current data without one of its columns (a schema break an upstream change could cause).</summary>
    private string CurrentWithout(string column)
    {
        var lines = File.ReadAllLines(Example("current.csv"));
        var drop = Array.IndexOf(lines[0].Split(','), column);
        var path = Path.Combine(_temp, $"current-without-{column}.csv");
        File.WriteAllLines(path, lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != drop))));
        return path;
    }

    [Fact]
    public async Task Drift_ColumnMissingFromCurrent_FailsTheGate()
    {
        var (code, stdout, _) = await DriftJson(CurrentWithout("items"));
        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("dataset_drift").GetBoolean());
        var items = root.GetProperty("columns")
            .EnumerateArray()
            .Single(c => c.GetProperty("column").GetString() == "items");
        Assert.True(items.GetProperty("drift").GetBoolean());
        Assert.Contains(
            "missing from the current data",
            items.GetProperty("reason").GetString(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Drift_NumberTurnedToText_FailsTheGate()
    {
        var lines = File.ReadAllLines(Example("current.csv"));
        var at = Array.IndexOf(lines[0].Split(','), "account_age_days");
        var cells = lines[5].Split(',');
        cells[at] = "unknown";
        lines[5] = string.Join(',', cells);
        var path = Path.Combine(_temp, "current-text.csv");
        File.WriteAllLines(path, lines);

        var (code, stdout, _) = await DriftJson(path);

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(stdout);
        var age = json
            .RootElement.GetProperty("columns")
            .EnumerateArray()
            .Single(c => c.GetProperty("column").GetString() == "account_age_days");
        Assert.True(age.GetProperty("drift").GetBoolean());
        Assert.Equal("schema", age.GetProperty("test").GetString());
        Assert.Contains(
            "was numeric in the reference and is text now",
            age.GetProperty("reason").GetString(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Drift_OneCurrentRow_IsNotEnoughDataAndExitsZero()
    {
        var (code, stdout, _) = await DriftJson(FirstRows(1));
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.False(root.GetProperty("dataset_drift").GetBoolean());
        Assert.Equal(6, root.GetProperty("not_judged").GetInt32());
        foreach (var column in root.GetProperty("columns").EnumerateArray())
        {
            Assert.Equal(JsonValueKind.Null, column.GetProperty("drift").ValueKind);
            Assert.Contains("not enough data", column.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Drift_MinSamplesOption_OverridesTheContract()
    {
        var path = FirstRows(50);
        var (_, stdout, _) = await DriftJson(path);
        using (var json = JsonDocument.Parse(stdout))
        {
            // The contract's monitoring.min_samples is 200: fifty rows cannot be judged.
            Assert.Equal(6, json.RootElement.GetProperty("not_judged").GetInt32());
        }
        (_, stdout, _) = await DriftJson(path, "--min-samples", "50");
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal(0, json.RootElement.GetProperty("not_judged").GetInt32());
        }
    }

    [Fact]
    public async Task Drift_ContractRoleNamedInColumns_IsSkippedWithANote()
    {
        var (code, stdout, _) = await Run(
            "drift",
            "--reference",
            Copy("reference.csv"),
            "--current",
            Copy("current.csv"),
            "--contract",
            Copy("overlap.yaml"),
            "--columns",
            "items,outcome,payment_id",
            "--format",
            "json"
        );
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(
            ["items"],
            root.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("column").GetString())
        );
        var skipped = root.GetProperty("skipped")
            .EnumerateArray()
            .ToDictionary(k => k.GetProperty("column").GetString()!, k => k.GetProperty("reason").GetString()!);
        Assert.Contains("the contract names it as the label column", skipped["outcome"], StringComparison.Ordinal);
        Assert.Contains("the contract names it as the id column", skipped["payment_id"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_NumericIdWithoutContract_IsSkipped()
    {
        string Numbered(string file, int first)
        {
            var lines = File.ReadAllLines(Example(file));
            var path = Path.Combine(_temp, "numbered-" + file);
            File.WriteAllLines(
                path,
                [
                    lines[0],
                    .. lines
                        .Skip(1)
                        .Select(
                            (l, i) =>
                                (first + i).ToString(System.Globalization.CultureInfo.InvariantCulture)
                                + l[l.IndexOf(',', StringComparison.Ordinal)..]
                        ),
                ]
            );
            return path;
        }
        var (_, stdout, _) = await Run(
            "drift",
            "--reference",
            Numbered("reference.csv", 1),
            "--current",
            Numbered("current.csv", 100_001),
            "--format",
            "json"
        );
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.DoesNotContain(
            "payment_id",
            root.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("column").GetString())
        );
        var skipped = root.GetProperty("skipped")
            .EnumerateArray()
            .Single(k => k.GetProperty("column").GetString() == "payment_id");
        Assert.Contains("every value is distinct", skipped.GetProperty("reason").GetString(), StringComparison.Ordinal);
        // Core says to name the column among those tested; the CLI says which flag does that.
        Assert.EndsWith(
            "to test it anyway, name it among the columns to test (--columns)",
            skipped.GetProperty("reason").GetString(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Drift_EveryStatistic_IsShownWithWhatItMeans()
    {
        var (_, stdout, _) = await DriftJson(Copy("current.csv"));
        using (var json = JsonDocument.Parse(stdout))
        {
            var amount = json.RootElement.GetProperty("columns")[0];
            Assert.StartsWith(
                "Wasserstein distance 0.3096 reference standard deviations (drift at 0.1)",
                amount.GetProperty("meaning").GetString(),
                StringComparison.Ordinal
            );
        }
        (_, stdout, _) = await Run(
            "drift",
            "--reference",
            Copy("reference.csv"),
            "--current",
            Copy("current.csv"),
            "--contract",
            Copy("overlap.yaml")
        );
        Assert.Contains("reference standard deviations (drift at 0.1)", stdout, StringComparison.Ordinal);
        Assert.Contains("(0 = same shares, 1 = no overlap; drift at 0.1)", stdout, StringComparison.Ordinal);
        (_, stdout, _) = await Run(
            "drift",
            "--reference",
            Copy("reference.csv"),
            "--current",
            Copy("current.csv"),
            "--contract",
            Copy("overlap.yaml"),
            "--format",
            "markdown"
        );
        Assert.Contains("reference standard deviations (drift at 0.1)", stdout, StringComparison.Ordinal);
        (_, stdout, _) = await Run(
            "drift",
            "--reference",
            Copy("reference.csv"),
            "--current",
            Copy("current.csv"),
            "--contract",
            Copy("overlap.yaml"),
            "--format",
            "html"
        );
        Assert.Contains("reference standard deviations (drift at 0.1)", stdout, StringComparison.Ordinal);
    }
}

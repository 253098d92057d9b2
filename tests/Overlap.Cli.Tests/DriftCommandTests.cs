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
        var (code, stdout, stderr) = await Run("drift", "--reference", Copy("reference.csv"), "--current", Copy("current.csv"),
            "--contract", Copy("overlap.yaml"), "--format", "json");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("payments-fraud", root.GetProperty("feature").GetString());
        Assert.False(root.GetProperty("dataset_drift").GetBoolean());
        var columns = root.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(["amount", "account_age_days", "items", "hour", "channel", "region"], columns.Select(c => c.GetProperty("column").GetString()));
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
        var (code, stdout, _) = await Run("drift", "--reference", Copy("reference.csv"), "--current", Copy("current.csv"),
            "--columns", "amount,items", "--format", "json");
        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.True(json.RootElement.GetProperty("dataset_drift").GetBoolean());
        Assert.Equal(0.5, json.RootElement.GetProperty("drifted_share").GetDouble());
    }

    [Fact]
    public async Task Drift_ForcedKs_ReportsPValues()
    {
        var (code, stdout, _) = await Run("drift", "--reference", Copy("reference.csv"), "--current", Copy("current.csv"),
            "--columns", "amount", "--test", "ks", "--format", "json");
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
        var (code, stdout, _) = await Run("drift", "--reference", Copy("reference.csv"), "--current", Copy("current.csv"),
            "--output", markdown, "--output", jsonPath);
        Assert.Equal(0, code);
        Assert.Contains("NO DATASET DRIFT", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(markdown));
        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        Assert.Equal(3000, json.RootElement.GetProperty("reference_rows").GetInt32());
    }

    [Fact]
    public async Task Drift_UnknownColumn_ExitsDataErrorWithSuggestion()
    {
        var (code, _, stderr) = await Run("drift", "--reference", Copy("reference.csv"), "--current", Copy("current.csv"), "--columns", "amount,chanel");
        Assert.Equal(65, code);
        AssertOneLineError(stderr, "did you mean 'channel'?");
    }

    [Fact]
    public async Task Drift_MissingFile_ExitsNoInput()
    {
        var (code, _, stderr) = await Run("drift", "--reference", Path.Combine(_temp, "nope.csv"), "--current", Copy("current.csv"));
        Assert.Equal(66, code);
        AssertOneLineError(stderr, "does not exist");
    }

    [Theory]
    [InlineData("--test", "t_test", "unknown --test 't_test'")]
    [InlineData("--format", "pdf", "unknown --format 'pdf'")]
    public async Task Drift_BadOption_ExitsUsage(string option, string value, string message)
    {
        var (code, _, stderr) = await Run("drift", "--reference", Copy("reference.csv"), "--current", Copy("current.csv"), option, value);
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
        var (code, _, stderr) = await Run("drift", "--reference", Copy("reference.csv"), "--current", Copy("current.csv"), "--columns", "channel", "--test", "ks");
        Assert.Equal(65, code);
        AssertOneLineError(stderr, "'channel' holds categories");
    }
}

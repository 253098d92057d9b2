namespace Overlap.Cli.Tests;

/// <summary>Every kind of bad input gets one line saying what is wrong and what to do, and the sysexits code.</summary>
public sealed class BadInputTests
{
    private const string Contract = """
        feature: checkout-fraud
        task: binary
        labels: { positive: fraud, negative: legit }
        columns: { label: outcome, score: p_fraud, segments: [channel] }
        threshold: 0.5
        requirements:
          - { metric: recall, min: 0.5 }
        """;

    private const string Good = "p_fraud,outcome,channel\n0.9,fraud,web\n0.2,legit,app\n0.7,legit,web\n0.1,fraud,app\n";

    [Fact]
    public async Task MissingDataFile_Exits66()
    {
        using var f = new TempFolder();
        var (code, _, err) = await CliRun.RunAsync(
            "eval",
            "-c",
            f.Write("c.yaml", Contract),
            "-d",
            f.PathOf("nowhere.csv")
        );
        Assert.Equal(66, code);
        CliRun.AssertOneLineError(err, "nowhere.csv", "does not exist");
    }

    [Fact]
    public async Task MissingContract_Exits66()
    {
        using var f = new TempFolder();
        var (code, _, err) = await CliRun.RunAsync(
            "eval",
            "-c",
            f.PathOf("overlap.yaml"),
            "-d",
            f.Write("d.csv", Good)
        );
        Assert.Equal(66, code);
        CliRun.AssertOneLineError(err, "overlap.yaml", "does not exist");
    }

    [Fact]
    public async Task EmptyDataFile_Exits65()
    {
        using var f = new TempFolder();
        var (code, _, err) = await CliRun.RunAsync(
            "eval",
            "-c",
            f.Write("c.yaml", Contract),
            "-d",
            f.Write("d.csv", string.Empty)
        );
        Assert.Equal(65, code);
        CliRun.AssertOneLineError(err, "empty");
    }

    [Fact]
    public async Task HeaderOnlyDataFile_Exits65()
    {
        using var f = new TempFolder();
        var (code, _, err) = await CliRun.RunAsync(
            "eval",
            "-c",
            f.Write("c.yaml", Contract),
            "-d",
            f.Write("d.csv", "p_fraud,outcome,channel\n")
        );
        Assert.Equal(65, code);
        CliRun.AssertOneLineError(err, "no rows");
    }

    [Fact]
    public async Task BadYaml_Exits65_WithTheFileAndLine()
    {
        using var f = new TempFolder();
        var contract = f.Write("overlap.yaml", "feature: x\ntask: binary\ncolumns: { label: y, score: p\n");
        var (code, _, err) = await CliRun.RunAsync("eval", "-c", contract, "-d", f.Write("d.csv", Good));
        Assert.Equal(65, code);
        CliRun.AssertOneLineError(err, "overlap.yaml:4:", "YAML");
    }

    [Fact]
    public async Task UnknownColumn_Exits65_AndSuggestsTheNearestName()
    {
        using var f = new TempFolder();
        var (code, _, err) = await CliRun.RunAsync(
            "eval",
            "-c",
            f.Write("c.yaml", Contract),
            "-d",
            f.Write("d.csv", Good.Replace("p_fraud", "pfraud", StringComparison.Ordinal))
        );
        Assert.Equal(65, code);
        CliRun.AssertOneLineError(err, "p_fraud", "pfraud");
    }

    [Fact]
    public async Task NonNumericScore_Exits65_WithTheRow()
    {
        using var f = new TempFolder();
        var (code, _, err) = await CliRun.RunAsync(
            "eval",
            "-c",
            f.Write("c.yaml", Contract),
            "-d",
            f.Write("d.csv", Good + "high,fraud,web\n")
        );
        Assert.Equal(65, code);
        CliRun.AssertOneLineError(err, "high", "p_fraud", "line 6");
    }

    [Fact]
    public async Task OutOfRangeScore_Exits65()
    {
        using var f = new TempFolder();
        var (code, _, err) = await CliRun.RunAsync(
            "eval",
            "-c",
            f.Write("c.yaml", Contract),
            "-d",
            f.Write("d.csv", Good + "1.5,fraud,web\n")
        );
        Assert.Equal(65, code);
        CliRun.AssertOneLineError(err, "1.5", "p_fraud");
    }

    [Fact]
    public async Task LabelTheContractDoesNotName_Exits65()
    {
        using var f = new TempFolder();
        var (code, _, err) = await CliRun.RunAsync(
            "eval",
            "-c",
            f.Write("c.yaml", Contract),
            "-d",
            f.Write("d.csv", Good + "0.3,chargeback,web\n")
        );
        Assert.Equal(65, code);
        CliRun.AssertOneLineError(err, "'chargeback'", "'fraud'", "'legit'");
    }

    [Fact]
    public async Task MetricThatDoesNotFitTheTask_Exits65()
    {
        using var f = new TempFolder();
        var contract = f.Write(
            "c.yaml",
            Contract.Replace("metric: recall", "metric: macro_f1", StringComparison.Ordinal)
        );
        var (code, _, err) = await CliRun.RunAsync("eval", "-c", contract, "-d", f.Write("d.csv", Good));
        Assert.Equal(65, code);
        CliRun.AssertOneLineError(err, "c.yaml:7:", "macro_f1", "recall");
    }

    [Fact]
    public async Task UnknownFormat_Exits64()
    {
        using var f = new TempFolder();
        var (code, _, err) = await CliRun.RunAsync(
            "eval",
            "-c",
            f.Write("c.yaml", Contract),
            "-d",
            f.Write("d.csv", Good),
            "-f",
            "pdf"
        );
        Assert.Equal(64, code);
        CliRun.AssertOneLineError(err, "pdf", "json");
    }

    [Fact]
    public async Task UnknownFileExtension_Exits64()
    {
        using var f = new TempFolder();
        var (code, _, err) = await CliRun.RunAsync(
            "eval",
            "-c",
            f.Write("c.yaml", Contract),
            "-d",
            f.Write("d.xlsx", Good)
        );
        Assert.Equal(64, code);
        CliRun.AssertOneLineError(err, "d.xlsx", ".csv");
    }

    [Fact]
    public async Task DataFolderInsteadOfFile_Exits66()
    {
        using var f = new TempFolder();
        var (code, _, err) = await CliRun.RunAsync("eval", "-c", f.Write("c.yaml", Contract), "-d", f.Path);
        Assert.Equal(66, code);
        CliRun.AssertOneLineError(err, "folder");
    }

    [Fact]
    public async Task CorruptGzip_Exits65()
    {
        using var f = new TempFolder();
        var (code, _, err) = await CliRun.RunAsync(
            "eval",
            "-c",
            f.Write("c.yaml", Contract),
            "-d",
            f.Write("d.csv.gz", "not gzip at all")
        );
        Assert.Equal(65, code);
        CliRun.AssertOneLineError(err, "gzip");
    }

    [Fact]
    public async Task MissingOption_Exits64()
    {
        var (code, _, err) = await CliRun.RunAsync("eval", "--data", "x.csv");
        Assert.Equal(64, code);
        Assert.Contains("--contract", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }
}

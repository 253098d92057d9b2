using System.Text.Json;

namespace Overlap.Cli.Tests;

/// <summary>
/// <c>overlap eval --format json</c> on the multiclass and regression examples against scikit-learn and
/// statsmodels (Fixtures/examples/make_example_figures.py), overall and for every segment value, and the verdicts.
/// </summary>
public sealed class ExampleFiguresTests
{
    private static readonly JsonElement Figures = Load();

    [Theory]
    [InlineData("ticket-router", 2)]
    [InlineData("delivery-eta", 0)]
    public async Task Eval_MatchesSklearn_OverallAndPerSegment(string example, int expectedExit)
    {
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "eval",
            "-c",
            CliRun.RepoFile($"examples/{example}/overlap.yaml"),
            "-d",
            CliRun.RepoFile($"examples/{example}/scored.csv"),
            "-f",
            "json",
            "--resamples",
            "200"
        );
        Assert.True(code == expectedExit, $"exit {code}: {stderr}");
        using var report = JsonDocument.Parse(stdout);
        var root = report.RootElement;
        var expected = Figures.GetProperty(example);
        Compare(
            expected.GetProperty("overall"),
            root.GetProperty("metrics"),
            root.GetProperty("n").GetInt64(),
            "overall"
        );
        foreach (var column in expected.GetProperty("segments").EnumerateObject())
        {
            foreach (var value in column.Value.EnumerateObject())
            {
                var segment = root.GetProperty("segments").GetProperty(column.Name).GetProperty(value.Name);
                Compare(
                    value.Value,
                    segment.GetProperty("metrics"),
                    segment.GetProperty("n").GetInt64(),
                    $"{column.Name}={value.Name}"
                );
            }
        }
    }

    [Fact]
    public async Task TicketRouter_IsInconclusiveOnTheSpanishTickets()
    {
        var (_, stdout, _) = await CliRun.RunAsync(
            "eval",
            "-c",
            CliRun.RepoFile("examples/ticket-router/overlap.yaml"),
            "-d",
            CliRun.RepoFile("examples/ticket-router/scored.csv"),
            "-f",
            "json",
            "--resamples",
            "200"
        );
        using var report = JsonDocument.Parse(stdout);
        var requirements = report.RootElement.GetProperty("requirements").EnumerateArray().ToList();
        Assert.Equal(
            ["pass", "pass", "inconclusive", "inconclusive"],
            requirements.Select(r => r.GetProperty("verdict").GetString())
        );
        Assert.Equal("es", requirements[2].GetProperty("segment").GetString());
        var matrix = report
            .RootElement.GetProperty("confusion_matrix")
            .EnumerateArray()
            .Select(r => r.EnumerateArray().Sum(x => x.GetInt64()))
            .Sum();
        Assert.Equal(4000, matrix);
    }

    private static void Compare(JsonElement expected, JsonElement metrics, long n, string where)
    {
        Assert.Equal(expected.GetProperty("n").GetInt64(), n);
        foreach (var figure in expected.EnumerateObject().Where(p => p.Name != "n"))
        {
            var actual = metrics.GetProperty(figure.Name);
            var value =
                figure.Value.ValueKind == JsonValueKind.Array ? figure.Value[0].GetDouble() : figure.Value.GetDouble();
            Assert.True(
                Math.Abs(value - actual.GetProperty("value").GetDouble()) <= 1e-9,
                $"{where} {figure.Name}: {value} vs {actual.GetProperty("value")}"
            );
            if (figure.Value.ValueKind == JsonValueKind.Array)
            {
                Assert.True(
                    Math.Abs(figure.Value[1].GetDouble() - actual.GetProperty("ci_low").GetDouble()) <= 1e-9,
                    $"{where} {figure.Name} ci_low"
                );
                Assert.True(
                    Math.Abs(figure.Value[2].GetDouble() - actual.GetProperty("ci_high").GetDouble()) <= 1e-9,
                    $"{where} {figure.Name} ci_high"
                );
            }
        }
    }

    private static JsonElement Load()
    {
        using var document = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "examples", "example_figures.json"))
        );
        return document.RootElement.Clone();
    }
}

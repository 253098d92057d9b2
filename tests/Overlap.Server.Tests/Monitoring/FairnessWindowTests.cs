using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Overlap.Core.Monitoring;
using Overlap.Core.Reports;
using Overlap.Storage;

namespace Overlap.Server.Tests.Monitoring;

/// <summary>
/// A production window carries the fairness figures of its labelled predictions, with the sensitive attributes read from
/// each prediction's attributes (sex) and inputs (race): the same figures the reference script computes on those rows
/// (tests/Overlap.Core.Tests/Fixtures/fairness/make_fairness_fixtures.py), on the API and through the window summary.
/// </summary>
public sealed class FairnessWindowTests : IAsyncLifetime
{
    private const string Feature = "hiring-screen";
    private const string ContractText = """
        feature: hiring-screen
        task: binary
        labels: { positive: "yes", negative: "no" }
        columns: { id: id, label: hired, score: p_hire }
        words: { example: applicant, positive: suitable applicant, negative: unsuitable applicant, action: shortlisted }
        requirements:
          - { metric: recall, min: 0.5 }
        monitoring: { window: 1d }
        fairness:
          attributes: [sex, race]
          intersections: [[sex, race]]
          requirements:
            - { metric: selection_rate_ratio, by: sex, min: 0.8 }
        """;

    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fairness");
    private RunningServer _server = null!;

    /// <summary>The same screen where people label only the predictions scored in the reference script's review band.</summary>
    private const string Reviewed = "hiring-reviewed";

    /// <summary>The same screen before any outcome has arrived.</summary>
    private const string Unlabelled = "hiring-unlabelled";

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        using (
            var reference = JsonDocument.Parse(
                await File.ReadAllTextAsync(Path.Combine(Fixtures, "fairness_fixtures.json"))
            )
        )
        {
            var band = reference.RootElement.GetProperty("production").GetProperty("band");
            await SendAsync(Feature, _ => true);
            await SendAsync(Reviewed, score => score >= band[0].GetDouble() && score < band[1].GetDouble());
            await SendAsync(Unlabelled, _ => false);
        }
    }

    /// <summary>Sends the reference rows as predictions of <paramref name="feature"/>, with outcomes for those whose score <paramref name="labelled"/> keeps.</summary>
    private async Task SendAsync(string feature, Func<double, bool> labelled)
    {
        using var admin = _server.Client(KeyRole.Admin);
        var put = await admin.PutAsync(
            $"/v1/features/{feature}/contract",
            new StringContent(ContractText.Replace(Feature, feature, StringComparison.Ordinal))
        );
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var lines = await File.ReadAllLinesAsync(Path.Combine(Fixtures, "fairness_data.csv"));
        var events = new StringBuilder();
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        foreach (var line in lines.Skip(1))
        {
            var r = line.Split(',');
            var (id, hired, score, sex, race) = (r[0], r[1], r[2], r[3], r[4]);
            var time = start.AddSeconds(100 * int.Parse(id, CultureInfo.InvariantCulture)).ToString("O");
            // A row with no race sends no race: it is in no race group.
            var inputs = race.Length == 0 ? "{}" : $$"""{"race":"{{race}}"}""";
            events
                .Append(
                    $$"""{"type":"prediction","id":"a{{id}}{{feature}}","feature":"{{feature}}","time":"{{time}}","score":{{score}},"attributes":{"sex":"{{sex}}"},"inputs":{{inputs}}}"""
                )
                .Append('\n');
            if (labelled(double.Parse(score, CultureInfo.InvariantCulture)))
            {
                events
                    .Append(
                        $$"""{"type":"outcome","id":"o{{id}}{{feature}}","prediction_id":"a{{id}}{{feature}}","label":"{{hired}}","time":"2026-01-20T00:00:00Z"}"""
                    )
                    .Append('\n');
            }
        }
        using var ingest = _server.Client(KeyRole.Ingest);
        var response = await ingest.PostAsync(
            "/v1/events",
            new StringContent(events.ToString(), Encoding.UTF8, "application/x-ndjson")
        );
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Window_CarriesEachMeasurePerGroup_AsTheReferenceComputesIt()
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        var response = await viewer.GetAsync(
            $"/v1/features/{Feature}/metrics?from=2026-01-05&to=2026-01-06&resamples=200"
        );
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var report = ReportJson.ReadMonitoring(body)!;
        var window = Assert.Single(report.Windows);
        Assert.Equal(700, window.Labelled);
        var fairness = window.Evaluation!.Fairness!;

        using var reference = JsonDocument.Parse(
            await File.ReadAllTextAsync(Path.Combine(Fixtures, "fairness_fixtures.json"))
        );
        var expected = reference.RootElement.GetProperty("groupings");
        Assert.Equal(["sex", "race", "sex × race"], fairness.Groupings.Select(g => g.By));
        for (var g = 0; g < 3; g++)
        {
            var groups = expected[g].GetProperty("groups").EnumerateObject().ToList();
            Assert.Equal(groups.Select(x => x.Name), fairness.Groupings[g].Groups.Select(x => x.Value));
            Assert.Equal(
                groups.Select(x => (long)x.Value.GetProperty("n").GetDouble()),
                fairness.Groupings[g].Groups.Select(x => x.N)
            );
            foreach (var m in fairness.Groupings[g].Measures)
            {
                Assert.Equal(expected[g].GetProperty("measures").GetProperty(m.Metric).GetDouble(), m.Value, 1e-9);
                Assert.InRange(m.Value, m.CiLow - 1e-9, m.CiHigh + 1e-9);
                Assert.DoesNotContain("NaN", m.Statement, StringComparison.Ordinal);
            }
        }
        // The four-fifths bar is a requirement of the window like any other, and decides its verdict.
        var ratio = window.Evaluation.Requirements.Single(r => r.Metric == "selection_rate_ratio");
        Assert.Equal(("sex", Core.Evaluation.Verdict.Fail), (ratio.By, ratio.Verdict));
        Assert.StartsWith(
            "Applicants with sex = F are shortlisted 0.54 times as often as those with sex = M (",
            ratio.Statement,
            StringComparison.Ordinal
        );
        using var json = JsonDocument.Parse(body);
        Assert.Equal(
            "selection_rate_ratio",
            json.RootElement.GetProperty("windows")[0]
                .GetProperty("evaluation")
                .GetProperty("fairness")
                .GetProperty("groupings")[0]
                .GetProperty("measures")[0]
                .GetProperty("metric")
                .GetString()
        );
    }

    [Fact]
    public async Task Summary_OverTheRange_JudgesFairnessFromTheMergedCells()
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        var response = await viewer.GetAsync(
            $"/v1/features/{Feature}/summary?from=2026-01-05&to=2026-01-06&resamples=200"
        );
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var evaluation = json.RootElement.GetProperty("evaluation");
        Assert.Equal(
            ["recall", "selection_rate_ratio"],
            evaluation.GetProperty("requirements").EnumerateArray().Select(r => r.GetProperty("metric").GetString())
        );
        // The cells keep the counts exactly, so every figure built on counts is the reference's.
        using var reference = JsonDocument.Parse(
            await File.ReadAllTextAsync(Path.Combine(Fixtures, "fairness_fixtures.json"))
        );
        var expected = reference.RootElement.GetProperty("groupings");
        var groupings = evaluation.GetProperty("fairness").GetProperty("groupings");
        for (var g = 0; g < 3; g++)
        {
            foreach (var m in groupings[g].GetProperty("measures").EnumerateArray())
            {
                var name = m.GetProperty("metric").GetString()!;
                if (name != "calibration_error_difference")
                {
                    Assert.Equal(
                        expected[g].GetProperty("measures").GetProperty(name).GetDouble(),
                        m.GetProperty("value").GetDouble(),
                        1e-9
                    );
                }
            }
        }
    }

    [Theory]
    [InlineData("metrics")]
    [InlineData("summary")]
    public async Task LabelsFromAReviewBand_SelectionRatesStillCoverEveryPrediction(string endpoint)
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        var response = await viewer.GetAsync(
            $"/v1/features/{Reviewed}/{endpoint}?from=2026-01-05&to=2026-01-06&resamples=200"
        );
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var evaluation =
            endpoint == "metrics"
                ? json.RootElement.GetProperty("windows")[0].GetProperty("evaluation")
                : json.RootElement.GetProperty("evaluation");
        using var reference = JsonDocument.Parse(
            await File.ReadAllTextAsync(Path.Combine(Fixtures, "fairness_fixtures.json"))
        );
        var production = reference.RootElement.GetProperty("production");
        Assert.Equal(production.GetProperty("labelled").GetInt32(), evaluation.GetProperty("n").GetInt32());
        var expected = production.GetProperty("groupings");
        var groupings = evaluation.GetProperty("fairness").GetProperty("groupings");
        for (var g = 0; g < 3; g++)
        {
            // Each group's selection rate is over all its predictions; its other rates over its labelled ones.
            var groups = groupings[g].GetProperty("groups").EnumerateArray().ToList();
            var want = expected[g].GetProperty("groups").EnumerateObject().ToList();
            Assert.Equal(want.Select(x => x.Name), groups.Select(x => x.GetProperty("value").GetString()));
            for (var k = 0; k < groups.Count; k++)
            {
                var selection = groups[k].GetProperty("selection_rate");
                Assert.Equal(
                    want[k].Value.GetProperty("selection_rate").GetDouble(),
                    selection.GetProperty("value").GetDouble(),
                    1e-9
                );
                Assert.Equal(
                    want[k].Value.GetProperty("predictions").GetDouble(),
                    selection.GetProperty("n").GetDouble()
                );
                Assert.Equal(want[k].Value.GetProperty("n").GetDouble(), groups[k].GetProperty("n").GetDouble());
            }
            foreach (var m in groupings[g].GetProperty("measures").EnumerateArray())
            {
                var name = m.GetProperty("metric").GetString()!;
                var value = m.GetProperty("value").GetDouble();
                // The window judged from its rows has the calibration error exactly; a merged range within its bins.
                var tolerance = name == "calibration_error_difference" && endpoint == "summary" ? 0.01 : 1e-9;
                Assert.Equal(expected[g].GetProperty("measures").GetProperty(name).GetDouble(), value, tolerance);
                Assert.InRange(
                    value,
                    m.GetProperty("ci_low").GetDouble() - 1e-9,
                    m.GetProperty("ci_high").GetDouble() + 1e-9
                );
            }
        }
        // The labelled rows alone would have said something else: the figure the measure used to report.
        var ratio = groupings[0].GetProperty("measures")[0];
        var labelledOnly = expected[0].GetProperty("labelled_only_selection_rate_ratio").GetDouble();
        Assert.True(Math.Abs(labelledOnly - ratio.GetProperty("value").GetDouble()) > 0.1, $"{labelledOnly}");
        Assert.StartsWith(
            "Applicants with sex = F are shortlisted 0.54 times as often as those with sex = M (",
            ratio.GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task AFairnessBarMissed_IsAnAlert()
    {
        using var admin = _server.Client(KeyRole.Admin);
        var evaluated = await admin.PostAsync($"/v1/features/{Reviewed}/alerts/evaluate?window=2026-01-05", null);
        Assert.Equal(HttpStatusCode.OK, evaluated.StatusCode);
        using var json = JsonDocument.Parse(await evaluated.Content.ReadAsStringAsync());
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToList();
        // The contract's requirement, then its fairness bar, then drift and the estimate.
        Assert.Equal(
            ["recall min 0.5", "selection_rate_ratio by sex min 0.8", "data drift", "estimate reliability"],
            checks.Select(c => c.GetProperty("check").GetString())
        );
        var ratio = checks[1];
        // Judged on every prediction (0.54 for women against men), with the reviewed band's 338 labels behind the window.
        Assert.Equal("alert", ratio.GetProperty("state").GetString());
        Assert.StartsWith(
            "Applicants with sex = F are shortlisted 0.54 times as often as those with sex = M (",
            ratio.GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
    }

    [Theory]
    [InlineData("metrics")]
    [InlineData("summary")]
    public async Task BeforeAnyLabel_TheSelectionRatesAreJudgedOnEveryPrediction(string endpoint)
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        using var json = JsonDocument.Parse(
            await viewer.GetStringAsync(
                $"/v1/features/{Unlabelled}/{endpoint}?from=2026-01-05&to=2026-01-06&resamples=200"
            )
        );
        var root = endpoint == "metrics" ? json.RootElement.GetProperty("windows")[0] : json.RootElement;
        Assert.False(
            root.TryGetProperty("evaluation", out var evaluation) && evaluation.ValueKind != JsonValueKind.Null
        );
        var fairness = root.GetProperty("fairness_without_labels");
        using var reference = JsonDocument.Parse(
            await File.ReadAllTextAsync(Path.Combine(Fixtures, "fairness_fixtures.json"))
        );
        var expected = reference.RootElement.GetProperty("production").GetProperty("groupings");
        var groupings = fairness.GetProperty("report").GetProperty("groupings");
        for (var g = 0; g < 3; g++)
        {
            var measures = groupings[g].GetProperty("measures").EnumerateArray().ToList();
            foreach (var name in new[] { "selection_rate_ratio", "selection_rate_difference" })
            {
                var m = measures.Single(x => x.GetProperty("metric").GetString() == name);
                var value = m.GetProperty("value").GetDouble();
                Assert.Equal(expected[g].GetProperty("measures").GetProperty(name).GetDouble(), value, 1e-9);
                Assert.InRange(
                    value,
                    m.GetProperty("ci_low").GetDouble() - 1e-9,
                    m.GetProperty("ci_high").GetDouble() + 1e-9
                );
            }
            // A rate that needs a label has no value yet, and says so rather than showing NaN.
            var odds = measures.Single(x => x.GetProperty("metric").GetString() == "equal_opportunity_difference");
            Assert.Equal(JsonValueKind.Null, odds.GetProperty("value").ValueKind);
            Assert.Contains(
                "No applicant has a label yet, so equal opportunity difference cannot be measured",
                odds.GetProperty("statement").GetString(),
                StringComparison.Ordinal
            );
        }
        var bar = Assert.Single(fairness.GetProperty("requirements").EnumerateArray());
        Assert.Equal(
            ("selection_rate_ratio", "fail"),
            (bar.GetProperty("metric").GetString(), bar.GetProperty("verdict").GetString())
        );

        if (endpoint == "summary")
        {
            using var admin = _server.Client(KeyRole.Admin);
            var evaluated = await admin.PostAsync($"/v1/features/{Unlabelled}/alerts/evaluate?window=2026-01-05", null);
            using var alerts = JsonDocument.Parse(await evaluated.Content.ReadAsStringAsync());
            var checks = alerts.RootElement.GetProperty("checks").EnumerateArray().ToList();
            Assert.Equal(
                ("no_data", "No labels for the days judged yet."),
                (checks[0].GetProperty("state").GetString(), checks[0].GetProperty("statement").GetString())
            );
            // 700 predictions are enough to alert on a bar that needs no label.
            Assert.Equal(
                ("selection_rate_ratio by sex min 0.8", "alert"),
                (checks[1].GetProperty("check").GetString(), checks[1].GetProperty("state").GetString())
            );
        }
    }
}

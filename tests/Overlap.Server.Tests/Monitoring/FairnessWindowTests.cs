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

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        using var admin = _server.Client(KeyRole.Admin);
        var put = await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(ContractText));
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
                    $$"""{"type":"prediction","id":"a{{id}}","feature":"{{Feature}}","time":"{{time}}","score":{{score}},"attributes":{"sex":"{{sex}}"},"inputs":{{inputs}}}"""
                )
                .Append('\n')
                .Append(
                    $$"""{"type":"outcome","id":"o{{id}}","prediction_id":"a{{id}}","label":"{{hired}}","time":"2026-01-20T00:00:00Z"}"""
                )
                .Append('\n');
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
}

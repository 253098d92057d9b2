using System.Globalization;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Core.Reports;
using Overlap.Events;
using Overlap.Server.Monitoring;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Server.Tests.Monitoring;

/// <summary>
/// Labels that come only from a review band: a window judged from its rows and the same window read in chunks and judged
/// from its cells both take each group's selection rate over every prediction, as the reference script does
/// (tests/Overlap.Core.Tests/Fixtures/fairness/make_fairness_fixtures.py, "production"); the stored summary keeps the
/// selection cells through its bytes.
/// </summary>
public sealed class FairnessSelectionChunkTests : IAsyncLifetime
{
    private const string ContractText = """
        feature: hiring-reviewed
        task: binary
        labels: { positive: "yes", negative: "no" }
        columns: { id: id, label: hired, score: p_hire }
        monitoring: { window: 1d }
        fairness:
          attributes: [sex, race]
          intersections: [[sex, race]]
        """;

    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fairness");
    private static readonly (DateTimeOffset Start, DateTimeOffset End) Day = (
        new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 1, 6, 0, 0, 0, TimeSpan.Zero)
    );

    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-fair-chunks-").FullName;
    private readonly Contract _contract = ContractParser.Parse(ContractText);
    private TestStore _store = null!;
    private JsonDocument _reference = null!;

    public async Task InitializeAsync()
    {
        _reference = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Fixtures, "fairness_fixtures.json")));
        var band = _reference.RootElement.GetProperty("production").GetProperty("band");
        _store = new TestStore(_folder);
        var events = new List<FeatureEvent>();
        foreach (var line in (await File.ReadAllLinesAsync(Path.Combine(Fixtures, "fairness_data.csv"))).Skip(1))
        {
            var r = line.Split(',');
            var (id, hired, sex, race) = (r[0], r[1], r[3], r[4]);
            var score = double.Parse(r[2], CultureInfo.InvariantCulture);
            var time = Day.Start.AddSeconds(100 * int.Parse(id, CultureInfo.InvariantCulture));
            var attributes = new Dictionary<string, string> { ["sex"] = sex };
            if (race.Length > 0)
            {
                attributes["race"] = race;
            }
            events.Add(
                new PredictionEvent
                {
                    Id = "a" + id,
                    Time = time,
                    Feature = _contract.Feature,
                    Score = score,
                    AttributesJson = JsonSerializer.Serialize(attributes),
                }
            );
            if (score >= band[0].GetDouble() && score < band[1].GetDouble())
            {
                events.Add(
                    new OutcomeEvent
                    {
                        Id = "o" + id,
                        Time = Day.End,
                        PredictionId = "a" + id,
                        Label = hired,
                    }
                );
            }
        }
        await _store.Get<IEventSink>().AppendAsync(events, Day.End.AddDays(1));
    }

    public async Task DisposeAsync()
    {
        _reference.Dispose();
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<(WindowReport Report, WindowSummary Summary)> Compute(int chunkRows) =>
        WindowComputation.ComputeAsync(
            _store.Get<IEventReader>(),
            _contract,
            1,
            Day,
            new EvaluationOptions { Resamples = 200 },
            null,
            ScoreCalibration.Identity,
            CancellationToken.None,
            chunkRows
        );

    [Fact]
    public async Task RowsAndCells_TakeSelectionRatesOverEveryPrediction()
    {
        var production = _reference.RootElement.GetProperty("production");
        var (rows, rowSummary) = await Compute(chunkRows: 700);
        var (cells, cellSummary) = await Compute(chunkRows: 100);
        // The stored summary reads back with its selection cells, and a range merged from it judges the same.
        var stored = WindowSummary.FromBytes(cellSummary.ToBytes())!;
        Assert.Equal(700, stored.Selections!.Total);
        var range = RangeMonitor.Summarize(
            _contract,
            1,
            TimeSpan.FromDays(1),
            WindowSummary.Merge([stored]),
            new EvaluationOptions { Resamples = 200 }
        );
        Assert.Equal(700, rowSummary.Selections!.Total);
        foreach (var evaluation in new[] { rows.Evaluation!, cells.Evaluation!, range.Evaluation! })
        {
            Assert.Equal(production.GetProperty("labelled").GetInt32(), evaluation.N);
            var groupings = evaluation.Fairness!.Groupings;
            for (var g = 0; g < groupings.Count; g++)
            {
                var expected = production.GetProperty("groupings")[g];
                var groups = expected.GetProperty("groups").EnumerateObject().ToList();
                Assert.Equal(groups.Select(x => x.Name), groupings[g].Groups.Select(x => x.Value));
                Assert.Equal(
                    groups.Select(x => x.Value.GetProperty("predictions").GetDouble()),
                    groupings[g].Groups.Select(x => (double)x.SelectionRate.N)
                );
                foreach (var name in new[] { "selection_rate_ratio", "selection_rate_difference" })
                {
                    var measure = groupings[g].Measures.Single(m => m.Metric == name);
                    Assert.Equal(expected.GetProperty("measures").GetProperty(name).GetDouble(), measure.Value, 1e-12);
                    Assert.InRange(measure.Value, measure.CiLow, measure.CiHigh);
                }
            }
        }
        // The cells' bootstrap resamples each (attributes, decision) cell Poisson(its size) times: near the rows', not equal.
        var fromRows = rows.Evaluation!.Fairness!.Groupings[0].Measures[0];
        var fromCells = cells.Evaluation!.Fairness!.Groupings[0].Measures[0];
        Assert.Equal(fromRows.CiLow, fromCells.CiLow, 0.05);
        Assert.Equal(fromRows.CiHigh, fromCells.CiHigh, 0.05);
    }

    [Fact]
    public async Task ASummaryWithoutSelectionCells_LeavesFairnessOutOfTheRange()
    {
        var (_, summary) = await Compute(chunkRows: 700);
        // A version-2 summary (written before the cells were kept): the same bytes without the cells at the end.
        var bytes = summary.ToBytes();
        var old = bytes[..^SelectionBytes(summary)];
        BitConverter.GetBytes(2).CopyTo(old, 0);
        var read = WindowSummary.FromBytes(old)!;
        Assert.Null(read.Selections);
        var range = RangeMonitor.Summarize(
            _contract,
            1,
            TimeSpan.FromDays(1),
            WindowSummary.Merge([read]),
            new EvaluationOptions { Resamples = 50 }
        );
        Assert.Null(range.Evaluation!.Fairness);
        Assert.Equal(338, range.Evaluation.N);
    }

    /// <summary>How many bytes the selection cells take at the end of a summary's bytes.</summary>
    private static int SelectionBytes(WindowSummary summary)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(false);
            w.Write(true);
            summary.Selections!.Write(w);
        }
        return stream.ToArray().Length;
    }

    [Fact]
    public async Task FairnessWithoutLabels_ReadsBackFromAStoredWindowReport()
    {
        var (report, summary) = await Compute(chunkRows: 700);
        var unlabelled = Evaluator.FairnessWithoutLabels(
            _contract,
            summary.Selections,
            new EvaluationOptions { Resamples = 50 }
        )!;
        var stored = report with { Evaluation = null, FairnessWithoutLabels = unlabelled };
        var read = ReportJson.ReadWindow(ReportJson.Write(stored))!.FairnessWithoutLabels!;
        var expected = _reference.RootElement.GetProperty("production").GetProperty("groupings");
        for (var g = 0; g < read.Report.Groupings.Count; g++)
        {
            var ratio = read.Report.Groupings[g].Measures.Single(m => m.Metric == "selection_rate_ratio");
            Assert.Equal(
                expected[g].GetProperty("measures").GetProperty("selection_rate_ratio").GetDouble(),
                ratio.Value,
                1e-9
            );
            Assert.Equal(
                unlabelled.Report.Groupings[g].Groups.Select(x => x.SelectionRate.N),
                read.Report.Groupings[g].Groups.Select(x => x.SelectionRate.N)
            );
        }
        // The contract has no fairness bar, so none is judged.
        Assert.Empty(read.Requirements);
    }
}

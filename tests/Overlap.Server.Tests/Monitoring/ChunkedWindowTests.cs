using System.Globalization;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Events;
using Overlap.Server.Monitoring;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Server.Tests.Monitoring;

/// <summary>
/// A window larger than the chunk size is read in chunks and judged from its cells: its counts, proportions and Wilson
/// intervals are exactly statsmodels' on the rows, the ranking figures within the bin width, latency within the
/// sketch's accuracy; a window within the chunk size is judged from its rows. The window is the payments-fraud example's
/// 6,000 predictions (make_chunked_window_fixtures.py has the figures).
/// </summary>
public sealed class ChunkedWindowTests : IAsyncLifetime
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
    private static readonly (DateTimeOffset Start, DateTimeOffset End) Month = (
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)
    );

    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-chunked-").FullName;
    private TestStore _store = null!;
    private Contract _contract = null!;

    public async Task InitializeAsync()
    {
        _contract = ContractParser.Parse(await File.ReadAllTextAsync(Path.Combine(Fixtures, "payments-fraud.yaml")));
        _store = new TestStore(_folder);
        var lines = await File.ReadAllLinesAsync(Path.Combine(Fixtures, "payments-fraud-scored.csv"));
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        var events = new List<FeatureEvent>();
        foreach (var line in lines.Skip(1))
        {
            var v = line.Split(',');
            var time = DateTimeOffset.Parse(v[Column("created_at")], CultureInfo.InvariantCulture);
            var attributes = new[] { "amount", "account_age_days", "items", "hour", "channel", "region" }.ToDictionary(
                n => n,
                n => v[Column(n)]
            );
            events.Add(
                new PredictionEvent
                {
                    Id = v[Column("payment_id")],
                    Time = time,
                    Feature = _contract.Feature,
                    Score = double.Parse(v[Column("p_fraud")], CultureInfo.InvariantCulture),
                    LatencyMs = double.Parse(v[Column("latency_ms")], CultureInfo.InvariantCulture),
                    AttributesJson = JsonSerializer.Serialize(attributes),
                }
            );
            events.Add(
                new OutcomeEvent
                {
                    Id = "o-" + v[Column("payment_id")],
                    Time = time.AddDays(1),
                    PredictionId = v[Column("payment_id")],
                    Label = v[Column("outcome")],
                }
            );
        }
        await _store.Get<IEventSink>().AppendAsync(events, Month.End);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<(WindowReport Report, WindowSummary Summary)> Compute(int chunkRows) =>
        WindowComputation.ComputeAsync(
            _store.Get<IEventReader>(),
            _contract,
            1,
            Month,
            new EvaluationOptions(),
            null,
            ScoreCalibration.Identity,
            CancellationToken.None,
            chunkRows
        );

    [Fact]
    public async Task AWindowAboveTheChunkSize_IsJudgedFromItsCells_WithTheRowsCountsAndWilsonIntervalsExactly()
    {
        using var fixture = JsonDocument.Parse(
            await File.ReadAllTextAsync(Path.Combine(Fixtures, "chunked_window.json"))
        );
        var expected = fixture.RootElement.GetProperty("window");
        var (rows, rowSummary) = await Compute(chunkRows: 6000);
        var (cells, cellSummary) = await Compute(chunkRows: 500);

        foreach (var report in new[] { rows, cells })
        {
            Assert.Equal(6000, report.Predictions);
            Assert.Equal(6000, report.Labelled);
            var evaluation = report.Evaluation!;
            Assert.Equal(6000, evaluation.N);
            Assert.Equal(Counts(expected), evaluation.Confusion);
            foreach (var metric in new[] { "recall", "precision", "false_positive_rate" })
            {
                AssertProportion(expected.GetProperty(metric), evaluation.Metrics[metric]);
            }
            foreach (var column in new[] { "channel", "region" })
            {
                foreach (var value in fixture.RootElement.GetProperty("segments").GetProperty(column).EnumerateObject())
                {
                    var segment = evaluation.Segments[column][value.Name];
                    Assert.Equal(Counts(value.Value), segment.Confusion);
                    AssertProportion(value.Value.GetProperty("recall"), segment.Metrics["recall"]);
                }
            }
        }
        // From the rows, sklearn's figures to rounding; from the cells, within about the bin width (0.001).
        Assert.Equal(expected.GetProperty("roc_auc").GetDouble(), rows.Evaluation!.Metrics["roc_auc"].Value, 1e-9);
        Assert.Equal(expected.GetProperty("brier").GetDouble(), rows.Evaluation.Metrics["brier"].Value, 1e-9);
        Assert.Equal(expected.GetProperty("roc_auc").GetDouble(), cells.Evaluation!.Metrics["roc_auc"].Value, 0.002);
        Assert.Equal(expected.GetProperty("brier").GetDouble(), cells.Evaluation.Metrics["brier"].Value, 0.0005);
        // Bootstrap intervals are drawn over the cells: near the rows' (Monte Carlo), not equal.
        Assert.NotEqual(rows.Evaluation.Metrics["roc_auc"].CiLow, cells.Evaluation.Metrics["roc_auc"].CiLow);
        Assert.Equal(rows.Evaluation.Metrics["roc_auc"].CiLow, cells.Evaluation.Metrics["roc_auc"].CiLow, 0.01);
        Assert.Equal(rows.Evaluation.Metrics["roc_auc"].CiHigh, cells.Evaluation.Metrics["roc_auc"].CiHigh, 0.01);

        // Latency: numpy's percentiles from the rows; from the cells, the sketch's, within half a percent.
        var latency = expected.GetProperty("latency");
        foreach (
            var (name, fromRows, fromCells) in new[]
            {
                ("p50", rows.LatencyMs!.P50, cells.LatencyMs!.P50),
                ("p95", rows.LatencyMs.P95, cells.LatencyMs.P95),
                ("p99", rows.LatencyMs.P99, cells.LatencyMs.P99),
            }
        )
        {
            var numpy = latency.GetProperty(name).GetDouble();
            Assert.Equal(numpy, fromRows, 1e-9);
            Assert.Equal(numpy, fromCells, numpy * 0.005);
        }

        // The summaries stored for the 30-day merge hold the same cells whichever way the window was read.
        Assert.Equal(rowSummary.Predictions, cellSummary.Predictions);
        Assert.Equal(rowSummary.Labelled, cellSummary.Labelled);
        Assert.Equal(1, cellSummary.Windows);
        Assert.Equal(
            rowSummary.Cells.OrderBy(c => c.Key).Select(c => (c.Key, c.Value.Count)),
            cellSummary.Cells.OrderBy(c => c.Key).Select(c => (c.Key, c.Value.Count))
        );
    }

    [Fact]
    public async Task AWindowJudgedFromItsCells_TestsDriftOnTheStoresSample_AsTheRowsPathTestsItsRows()
    {
        // The first ten days are the reference; the window's 6,000 fit in the drift sample, so both paths test the same rows.
        var reader = _store.Get<IEventReader>();
        var attributes = ProductionWindows.Attributes(_contract);
        var early = await reader.ReadPredictionsAsync(
            _contract.Feature,
            Month.Start,
            Month.Start.AddDays(10),
            attributes,
            null
        );
        var reference = ProductionWindows.Inputs(_contract, 1, early, "reference");
        (WindowReport Report, WindowSummary Summary) Compute(int chunkRows) =>
            WindowComputation
                .ComputeAsync(
                    reader,
                    _contract,
                    1,
                    Month,
                    new EvaluationOptions(),
                    reference,
                    ScoreCalibration.Identity,
                    CancellationToken.None,
                    chunkRows
                )
                .GetAwaiter()
                .GetResult();
        var rows = Compute(6000).Report.Drift!;
        var cells = Compute(500).Report.Drift!;
        Assert.Equal(
            ["account_age_days", "amount", "channel", "hour", "items", "p_fraud", "region"],
            cells.Columns.Select(c => c.Column).Order(StringComparer.Ordinal)
        );
        foreach (var column in rows.Columns)
        {
            var other = cells.Columns.Single(c => c.Column == column.Column);
            Assert.Equal(column.Statistic, other.Statistic, 1e-12);
            Assert.Equal(column.Drift, other.Drift);
        }
    }

    private static ConfusionCounts Counts(JsonElement e) =>
        new(
            e.GetProperty("tp").GetInt64(),
            e.GetProperty("fp").GetInt64(),
            e.GetProperty("fn").GetInt64(),
            e.GetProperty("tn").GetInt64()
        );

    private static void AssertProportion(JsonElement expected, MetricValue actual)
    {
        Assert.Equal(expected.GetProperty("value").GetDouble(), actual.Value, 1e-12);
        Assert.Equal(expected.GetProperty("low").GetDouble(), actual.CiLow, 1e-9);
        Assert.Equal(expected.GetProperty("high").GetDouble(), actual.CiHigh, 1e-9);
        Assert.Equal(expected.GetProperty("n").GetInt64(), actual.N);
    }
}

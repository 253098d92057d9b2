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
/// A window on the ClickHouse backend is summarised from groups ClickHouse counts (<see cref="IPredictionGroupReader"/>),
/// not from its rows: the same events in the embedded store, summarised from its batches of rows, give the same cells,
/// score bins, left-out counts, selection cells, latencies, costs and workflow counts, and the report from the groups
/// has statsmodels' counts and Wilson intervals (make_chunked_window_fixtures.py). The second feature's rows are made
/// to reach every way a group is formed: JSON that ClickHouse cannot read as a flat object (spaces before a colon, a
/// nested object, an escape, a NUL to repair), values read from the inputs, scores outside the contract's range or
/// missing, labels and decisions the contract does not name, negative latencies, costs and workflow traces.
/// </summary>
public sealed class GroupedWindowTests : IAsyncLifetime
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
    private static readonly (DateTimeOffset Start, DateTimeOffset End) Month = (
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)
    );

    private readonly string _folder = Directory.CreateTempSubdirectory("overlap-grouped-").FullName;
    private readonly string _database = "overlap_grouped_" + Guid.NewGuid().ToString("N")[..12];
    private TestStore _embedded = null!;
    private TestStore _clickHouse = null!;
    private Contract _fraud = null!;
    private Contract _odd = null!;

    /// <summary>The test ClickHouse cluster: the one scripts/test.sh started, else one started for this run.</summary>
    private static readonly Lazy<(string Address, string Cluster)> Cluster = new(() =>
    {
        var address = Environment.GetEnvironmentVariable("OVERLAP_TEST_CLICKHOUSE");
        var cluster = Environment.GetEnvironmentVariable("OVERLAP_TEST_CLICKHOUSE_CLUSTER");
        if (address is { Length: > 0 } && cluster is { Length: > 0 })
        {
            return (address, cluster);
        }
        var (values, _, _) = ServiceScript.Start("clickhouse", stopWithThisProcess: true);
        return (values["OVERLAP_TEST_CLICKHOUSE"], values["OVERLAP_TEST_CLICKHOUSE_CLUSTER"]);
    });

    public async Task InitializeAsync()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Fixtures, "payments-fraud.yaml"));
        _fraud = ContractParser.Parse(text);
        _odd = ContractParser.Parse(
            text.Replace("feature: payments-fraud", "feature: payments-odd", StringComparison.Ordinal)
                + "fairness:\n  attributes: [region]\n"
        );
        _embedded = new TestStore(Path.Combine(_folder, "embedded"));
        var (address, cluster) = Cluster.Value;
        _clickHouse = new TestStore(
            new StorageOptions
            {
                Location = Directory.CreateDirectory(Path.Combine(_folder, "clickhouse")).FullName,
                Backend = StorageBackend.Server,
                ClickHouse = $"{address.TrimEnd('/')}/?database={_database}",
                ClickHouseCluster = cluster,
            }
        );
        var events = Events();
        foreach (var store in new[] { _embedded, _clickHouse })
        {
            await store.Get<IEventSink>().AppendAsync(events, Month.End);
        }
    }

    public async Task DisposeAsync()
    {
        await _embedded.DisposeAsync();
        await _clickHouse.DisposeAsync();
        var (address, cluster) = Cluster.Value;
        using var http = new HttpClient();
        using var drop = new StringContent($"DROP DATABASE IF EXISTS `{_database}` ON CLUSTER `{cluster}`");
        using var dropped = await http.PostAsync(new Uri(address), drop);
        dropped.EnsureSuccessStatusCode();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The payments-fraud example's 6,000 predictions as they are, and its first 3,000 again, made odd, under payments-odd.</summary>
    private List<FeatureEvent> Events()
    {
        var lines = File.ReadAllLines(Path.Combine(Fixtures, "payments-fraud-scored.csv"));
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        var names = new[] { "amount", "account_age_days", "items", "hour", "channel", "region" };
        var events = new List<FeatureEvent>();
        foreach (var (line, i) in lines.Skip(1).Select((l, i) => (l, i)))
        {
            var v = line.Split(',');
            var id = v[Column("payment_id")];
            var time = DateTimeOffset.Parse(v[Column("created_at")], CultureInfo.InvariantCulture);
            var score = double.Parse(v[Column("p_fraud")], CultureInfo.InvariantCulture);
            var latency = double.Parse(v[Column("latency_ms")], CultureInfo.InvariantCulture);
            var values = names.ToDictionary(n => n, n => v[Column(n)]);
            events.Add(
                new PredictionEvent
                {
                    Id = id,
                    Time = time,
                    Feature = _fraud.Feature,
                    Score = score,
                    LatencyMs = latency,
                    AttributesJson = JsonSerializer.Serialize(values),
                }
            );
            events.Add(
                new OutcomeEvent
                {
                    Id = "o-" + id,
                    Feature = _fraud.Feature,
                    Time = time.AddDays(1),
                    PredictionId = id,
                    Label = v[Column("outcome")],
                }
            );
            if (i >= 3000)
            {
                continue;
            }
            string? inputs = null;
            var attributes = JsonSerializer.Serialize(values);
            if (i % 7 == 0)
            {
                attributes =
                    "{ \"channel\" : \"" + values["channel"] + "\", \"region\": \"" + values["region"] + "\" }";
            }
            else if (i % 7 == 1)
            {
                attributes =
                    "{\"meta\":{\"channel\":\"nested\"},\"channel\":\"" + values["channel"] + "\",\"amount\":1.5}";
            }
            else if (i % 11 == 0)
            {
                attributes = "{\"channel\":\"w\\u0000b\",\"region\":\"" + values["region"] + "\"}";
            }
            else if (i % 13 == 0)
            {
                attributes = "{\"channel\":\"" + values["channel"] + "\"}";
                inputs = "{\"region\":\"" + values["region"] + "\",\"amount\":" + values["amount"] + "}";
            }
            else if (i % 17 == 0)
            {
                attributes = "{\"channel\":\"" + values["channel"] + "\",\"region\":null}";
                inputs = "{\"region\": \"from inputs\"}";
            }
            else if (i % 19 == 0)
            {
                attributes = "{\"channel\":5,\"region\":\"la tam\",\"items\":true}";
            }
            else if (i % 23 == 0)
            {
                attributes = "{\"channel\":\"wéb\",\"region\":\"" + values["region"] + "\"}";
            }
            events.Add(
                new PredictionEvent
                {
                    Id = id,
                    Time = time,
                    Feature = _odd.Feature,
                    Score =
                        i % 29 == 0 ? 1.5
                        : i % 31 == 0 ? -0.25
                        : i % 37 == 0 ? null
                        : i % 41 == 0 ? _odd.Threshold
                        : score,
                    Prediction =
                        i % 43 == 0 ? "fraud"
                        : i % 47 == 0 ? "eh"
                        : null,
                    LatencyMs =
                        i % 53 == 0 ? -5
                        : i % 59 == 0 ? null
                        : latency,
                    Cost = i % 3 == 0 ? 0.0012 * (i % 5) : null,
                    AttributesJson = attributes,
                    InputsJson = inputs,
                    Workflow =
                        i % 61 == 0
                            ? new WorkflowTrace
                            {
                                Route = WorkflowRoutes.Retry,
                                Attempts = 2,
                                FailedChecks = ["pii"],
                            }
                        : i % 67 == 0 ? new WorkflowTrace { Route = WorkflowRoutes.Direct }
                        : null,
                }
            );
            if (i % 71 != 0)
            {
                events.Add(
                    new OutcomeEvent
                    {
                        Id = "odd-" + id,
                        Feature = _odd.Feature,
                        Time = time.AddDays(1),
                        PredictionId = id,
                        Label = i % 73 == 0 ? "maybe" : v[Column("outcome")],
                    }
                );
            }
        }
        return events;
    }

    private static async Task<(WindowSummary Summary, WorkflowTally Tally)> Summarize(
        TestStore store,
        Contract contract,
        ScoreCalibration calibration
    ) =>
        await WindowComputation.SummarizeAsync(
            store.Get<IEventReader>(),
            contract,
            1,
            Month,
            calibration,
            CancellationToken.None,
            chunkRows: 500
        ) ?? throw new InvalidOperationException("the window was not summarised from its cells");

    [Fact]
    public void TheClickHouseStore_GroupsAWindow_AndTheEmbeddedStoreDoesNot()
    {
        Assert.IsAssignableFrom<IPredictionGroupReader>(_clickHouse.Get<IEventReader>());
        Assert.False(_embedded.Get<IEventReader>() is IPredictionGroupReader);
    }

    [Fact]
    public async Task AWindowFromGroups_HasStatsmodelsCountsAndWilsonIntervals()
    {
        using var fixture = JsonDocument.Parse(
            await File.ReadAllTextAsync(Path.Combine(Fixtures, "chunked_window.json"))
        );
        var expected = fixture.RootElement.GetProperty("window");
        var (report, summary) = await WindowComputation.ComputeAsync(
            _clickHouse.Get<IEventReader>(),
            _fraud,
            1,
            Month,
            new EvaluationOptions(),
            null,
            ScoreCalibration.Identity,
            CancellationToken.None,
            chunkRows: 500
        );
        Assert.Equal(6000, report.Predictions);
        Assert.Equal(6000, summary.Predictions);
        var evaluation = report.Evaluation!;
        Assert.Equal(6000, evaluation.N);
        Assert.Equal(
            new ConfusionCounts(
                expected.GetProperty("tp").GetInt64(),
                expected.GetProperty("fp").GetInt64(),
                expected.GetProperty("fn").GetInt64(),
                expected.GetProperty("tn").GetInt64()
            ),
            evaluation.Confusion
        );
        foreach (var metric in new[] { "recall", "precision", "false_positive_rate" })
        {
            var e = expected.GetProperty(metric);
            var actual = evaluation.Metrics[metric];
            Assert.Equal(e.GetProperty("value").GetDouble(), actual.Value, 1e-12);
            Assert.Equal(e.GetProperty("low").GetDouble(), actual.CiLow, 1e-9);
            Assert.Equal(e.GetProperty("high").GetDouble(), actual.CiHigh, 1e-9);
        }
        Assert.Equal(expected.GetProperty("roc_auc").GetDouble(), evaluation.Metrics["roc_auc"].Value, 0.002);
        var p95 = expected.GetProperty("latency").GetProperty("p95").GetDouble();
        Assert.Equal(p95, report.LatencyMs!.P95, p95 * 0.005);
    }

    [Theory]
    [InlineData("payments-fraud", false)]
    [InlineData("payments-odd", false)]
    [InlineData("payments-odd", true)]
    public async Task AWindowFromGroups_IsTheSummaryOfItsRows(string feature, bool recalibrated)
    {
        var contract = feature == _fraud.Feature ? _fraud : _odd;
        var calibration = recalibrated ? MiscalibratedFit() : ScoreCalibration.Identity;
        Assert.Equal(recalibrated, calibration.Recalibrated);
        var (rows, rowTally) = await Summarize(_embedded, contract, calibration);
        var (groups, groupTally) = await Summarize(_clickHouse, contract, calibration);

        Assert.Equal(feature == _fraud.Feature ? 6000 : 3000, rows.Predictions);
        Assert.Equal(rows.Predictions, groups.Predictions);
        Assert.Equal(rows.Labelled, groups.Labelled);
        Assert.Equal(rows.SegmentColumns, groups.SegmentColumns);
        Assert.Equal(rows.LeftOut.ToList(), groups.LeftOut.ToList());
        Assert.Equal(rows.CostCount, groups.CostCount);
        Assert.Equal(rows.CostSum, groups.CostSum, 1e-12);
        foreach (var q in new[] { 0.5, 0.95, 0.99 })
        {
            Assert.Equal(rows.Latency.Quantile(q), groups.Latency.Quantile(q));
        }
        Assert.Equal(rows.Latency.Count, groups.Latency.Count);
        Assert.Equal(
            rows.Cells.Select(c => (c.Key, c.Value.Count)).Order(),
            groups.Cells.Select(c => (c.Key, c.Value.Count)).Order()
        );
        foreach (var (key, (_, sum)) in rows.Cells)
        {
            Assert.Equal(sum, groups.Cells[key].ScoreSum, 1e-9);
        }
        Assert.Equal(rows.Scores.Keys.Order(), groups.Scores.Keys.Order());
        foreach (var (bin, (count, sum, probabilities, squares)) in rows.Scores)
        {
            var other = groups.Scores[bin];
            Assert.Equal(count, other.Count);
            Assert.Equal(sum, other.ScoreSum, 1e-9);
            Assert.Equal(probabilities, other.ProbabilitySum, 1e-9);
            Assert.Equal(squares, other.ProbabilitySquares, 1e-9);
        }
        Assert.Equal(rows.Selections is null, groups.Selections is null);
        if (rows.Selections is not null)
        {
            Assert.Equal(rows.Selections.Total, groups.Selections!.Total);
            Assert.Equal(Cells(rows.Selections), Cells(groups.Selections));
        }
        Assert.Equal(rowTally.Overall.Guarded, groupTally.Overall.Guarded);
        Assert.Equal(rowTally.Overall.Retried, groupTally.Overall.Retried);
        Assert.Equal(rowTally.Overall.AttemptSquares, groupTally.Overall.AttemptSquares);
        Assert.Equal(rowTally.Checks.OrderBy(c => c.Key), groupTally.Checks.OrderBy(c => c.Key));
        Assert.Equal(
            rowTally.Segments.SelectMany(s => s.Value.Select(v => (s.Key, v.Key, v.Value.Guarded))).Order(),
            groupTally.Segments.SelectMany(s => s.Value.Select(v => (s.Key, v.Key, v.Value.Guarded))).Order()
        );
        if (feature == _odd.Feature)
        {
            // The odd rows reach what they were made for.
            var reasons = string.Join("\n", rows.LeftOut.ToList()!.Select(l => l.Reason));
            Assert.Contains("'channel' held a NUL", reasons, StringComparison.Ordinal);
            Assert.Contains("score 1.5 is outside", reasons, StringComparison.Ordinal);
            Assert.Contains("label 'maybe'", reasons, StringComparison.Ordinal);
            Assert.Contains("prediction 'eh'", reasons, StringComparison.Ordinal);
            Assert.Contains("latency -5 ms", reasons, StringComparison.Ordinal);
            Assert.Contains(rows.Cells.Keys, k => k.Segments.Contains("from inputs", StringComparison.Ordinal));
            Assert.Contains(rows.Cells.Keys, k => k.Segments.StartsWith("5\u001f", StringComparison.Ordinal));
            Assert.Contains(rows.Cells.Keys, k => k.Segments.StartsWith("wéb\u001f", StringComparison.Ordinal));
            Assert.True(rowTally.Overall.Guarded > 0);
        }
    }

    /// <summary>A calibration isotonic regression improves: the fixture's scores with labels drawn at the square root of each.</summary>
    private static ScoreCalibration MiscalibratedFit()
    {
        var random = new Random(7);
        var scores = Enumerable.Range(0, 4000).Select(_ => random.NextDouble()).ToArray();
        var labels = scores.Select(s => random.NextDouble() < Math.Sqrt(s) ? (byte)1 : (byte)0).ToArray();
        return ScoreCalibration.Fit(scores, labels);
    }

    private static IEnumerable<string> Cells(Core.Fairness.SelectionCells cells) =>
        cells
            .Cells()
            .Select(c => $"{string.Join("|", c.Values.Select(v => v ?? "(missing)"))} {c.Flagged} {c.Count}")
            .Order(StringComparer.Ordinal);
}

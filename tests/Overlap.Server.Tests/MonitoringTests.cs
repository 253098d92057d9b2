using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Drift;
using Overlap.Core.Estimation;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Core.Reports;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>
/// Production windows from events sent over HTTP: each labelled window's evaluation is exactly what <c>overlap eval</c>
/// computes on the same rows from a file, latency percentiles match numpy, unlabelled windows say so.
/// </summary>
public sealed class MonitoringTests : IAsyncLifetime
{
    private const string Feature = "payments-fraud";
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
    private RunningServer _server = null!;
    private string[] _header = [];
    private List<string[]> _rows = [];

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        using var admin = _server.Client(KeyRole.Admin);
        var put = await admin.PutAsync(
            $"/v1/features/{Feature}/contract",
            new StringContent(await File.ReadAllTextAsync(Path.Combine(Fixtures, "payments-fraud.yaml")))
        );
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var lines = await File.ReadAllLinesAsync(Path.Combine(Fixtures, "payments-fraud-scored.csv"));
        _header = lines[0].Split(',');
        _rows = [.. lines.Skip(1).Select(l => l.Split(','))];
        var events = Events(_header, _rows);
        using var ingest = _server.Client(KeyRole.Ingest);
        var response = await ingest.PostAsync(
            "/v1/events",
            new StringContent(events, Encoding.UTF8, "application/x-ndjson")
        );
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>
    /// Every payment of the example as a prediction, with outcomes for all but the last five days (still waiting for
    /// labels), as NDJSON.
    /// </summary>
    internal static string Events(string[] header, List<string[]> rows)
    {
        string Get(string[] row, string column) => row[Array.IndexOf(header, column)];
        var events = new StringBuilder();
        foreach (var r in rows)
        {
            events
                .Append(
                    CultureInfo.InvariantCulture,
                    $$$"""{"type":"prediction","id":"{{{Get(r, "payment_id")}}}","feature":"{{{Feature}}}","time":"{{{Get(r, "created_at")}}}","score":{{{Get(r, "p_fraud")}}},"latency_ms":{{{Get(r, "latency_ms")}}},"cost":0.002,"attributes":{"channel":"{{{Get(r, "channel")}}}","region":"{{{Get(r, "region")}}}"},"inputs":{"amount":{{{Get(r, "amount")}}},"account_age_days":{{{Get(r, "account_age_days")}}},"items":{{{Get(r, "items")}}},"hour":{{{Get(r, "hour")}}}}}"""
                )
                .Append('\n');
            if (string.CompareOrdinal(Get(r, "created_at"), "2026-01-26") < 0)
            {
                events
                    .Append(
                        CultureInfo.InvariantCulture,
                        $$"""{"type":"outcome","id":"o-{{Get(r, "payment_id")}}","prediction_id":"{{Get(r, "payment_id")}}","label":"{{Get(r, "outcome")}}","time":"2026-02-15T00:00:00Z"}"""
                    )
                    .Append('\n');
            }
        }
        return events.ToString();
    }

    private string Get(string[] row, string column) => row[Array.IndexOf(_header, column)];

    private async Task<MonitoringReport> MetricsAsync(string query)
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        var response = await viewer.GetAsync($"/v1/features/{Feature}/metrics?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ReportJson.ReadMonitoring(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task ClosedWindowsAskedForAtOnce_AreComputedOnce_AndEveryAnswerIsTheStoredReport()
    {
        // Four requests at once for a week of closed windows. Before, each request computed every window itself and
        // stored it over the others' (at 10,000,000 predictions a day, minutes of work each, done four times).
        using var viewer = _server.Client(KeyRole.Viewer);
        var answers = await Task.WhenAll(
            Enumerable
                .Range(0, 4)
                .Select(_ => viewer.GetStringAsync($"/v1/features/{Feature}/metrics?from=2026-01-01&to=2026-01-08"))
        );
        var reports = answers.Select(a => ReportJson.ReadMonitoring(a)!).ToList();
        Assert.Equal(7, reports[0].Windows.Count);
        Assert.All(reports, r =>
            Assert.Equal(reports[0].Windows.Select(w => w.ComputedAt), r.Windows.Select(w => w.ComputedAt))
        );
        Assert.All(answers, a => Assert.Equal(answers[0], a));
        // What every request answered is the computation the store kept, each window computed once.
        var stamps = await _server
            .Store<IWindowReportStore>()
            .CurrentWindowStampsAsync(
                Feature,
                reports[0].Windows[0].Start,
                reports[0].Windows[^1].End,
                TimeSpan.FromDays(1),
                reports[0].ContractVersion,
                new EvaluationOptions().Resamples
            );
        Assert.Equal(
            reports[0].Windows.Select(w => Overlap.Core.Timestamps.UnixMicroseconds.From(w.ComputedAt!.Value)),
            reports[0].Windows.Select(w => stamps[w.Start])
        );
    }

    [Fact]
    public async Task LabelledWindows_AreJudgedExactlyAsOverlapEvalJudgesTheSameRows()
    {
        var report = await MetricsAsync("from=2026-01-01&to=2026-01-04&resamples=200");
        Assert.Equal((Feature, 1, "1d"), (report.Feature, report.ContractVersion, report.Window));
        Assert.Equal(3, report.Windows.Count);
        var contract = ContractParser.Parse(await File.ReadAllTextAsync(Path.Combine(Fixtures, "payments-fraud.yaml")));
        foreach (var window in report.Windows)
        {
            var day = window.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            // The same day's rows as a file, in the order the store keeps them (time, then id).
            var rows = _rows
                .Where(r => Get(r, "created_at").StartsWith(day, StringComparison.Ordinal))
                .OrderBy(r => DateTimeOffset.Parse(Get(r, "created_at"), CultureInfo.InvariantCulture))
                .ThenBy(r => Get(r, "payment_id"), StringComparer.Ordinal)
                .ToList();
            var csv = string.Join('\n', [string.Join(',', _header), .. rows.Select(r => string.Join(',', r))]);
            var table = TableReader.Read(
                new MemoryStream(Encoding.UTF8.GetBytes(csv)),
                DataFormat.Csv,
                Evaluator.ReadOptions(contract, $"{day}.csv")
            );
            // Production adds what a file of labelled rows lacks: latency over every prediction, judged like any metric.
            double[] latencies =
            [
                .. rows.Select(r => double.Parse(Get(r, "latency_ms"), CultureInfo.InvariantCulture)).Order(),
            ];
            var offline = Evaluator.Evaluate(
                contract,
                table,
                new EvaluationOptions
                {
                    Resamples = 200,
                    ProductionMetrics = ProductionMetrics.Latency(latencies, contract.Confidence),
                }
            );
            Assert.Equal((200, 200), (window.Predictions, window.Labelled));
            Assert.Equal(ReportJson.Write(offline), ReportJson.Write(window.Evaluation!));
            var latency = window.Evaluation!.Requirements.Single(r => r.Metric == "latency_p95_ms");
            Assert.NotEqual(Verdict.Skipped, latency.Verdict);
            Assert.Equal(offline.Metrics["latency_p95_ms"].Value, latency.Value!.Value, 1e-9);
            Assert.InRange(latency.Value.Value, latencies[(int)(0.9 * latencies.Length)], latencies[^1]);
        }
    }

    [Fact]
    public async Task Drift_OfEachWindowAgainstTheReferencePeriod_IsWhatOverlapDriftSaysOfTheSameRows()
    {
        var report = await MetricsAsync("from=2026-01-10&to=2026-01-12&resamples=0");
        var contract = ContractParser.Parse(await File.ReadAllTextAsync(Path.Combine(Fixtures, "payments-fraud.yaml")));
        var columns = WindowMonitor.DriftColumns(contract);
        Assert.Equal(["amount", "account_age_days", "items", "hour", "channel", "region", "p_fraud"], columns);
        // The contract's reference is January 2026: every row here.
        var reference = Table(_rows, columns);
        foreach (var window in report.Windows)
        {
            var day = window.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var current = Table(
                [.. _rows.Where(r => Get(r, "created_at").StartsWith(day, StringComparison.Ordinal))],
                columns
            );
            var offline = DriftAnalyzer.Analyze(
                reference,
                current,
                new DriftOptions
                {
                    Feature = Feature,
                    Policy = contract.Drift,
                    Columns = columns,
                }
            );
            Assert.Equal(ReportJson.Write(offline), ReportJson.Write(window.Drift!));
            Assert.Equal(7, window.Drift!.Columns.Count);
        }
    }

    private Table Table(List<string[]> rows, IReadOnlyList<string> columns)
    {
        var csv = string.Join('\n', [string.Join(',', _header), .. rows.Select(r => string.Join(',', r))]);
        return TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            DataFormat.Csv,
            new TableReadOptions { Columns = columns, Source = "rows.csv" }
        );
    }

    [Fact]
    public async Task Estimates_AreCbpeOnTheWindowsScores_CalibratedOnTheLabelledReference()
    {
        var report = await MetricsAsync("from=2026-01-20&to=2026-01-31&resamples=200");
        var contract = ContractParser.Parse(await File.ReadAllTextAsync(Path.Combine(Fixtures, "payments-fraud.yaml")));
        // The reference period (January) as the store orders it; its labelled rows fit the calibration.
        var ordered = _rows
            .OrderBy(r => DateTimeOffset.Parse(Get(r, "created_at"), CultureInfo.InvariantCulture))
            .ThenBy(r => Get(r, "payment_id"), StringComparer.Ordinal)
            .ToList();
        var labelled = ordered.Where(r => string.CompareOrdinal(Get(r, "created_at"), "2026-01-26") < 0).ToList();
        var calibration = ScoreCalibration.Fit(
            [.. labelled.Select(Score)],
            [.. labelled.Select(r => Get(r, "outcome") == "fraud" ? (byte)1 : (byte)0)]
        );
        foreach (var window in report.Windows)
        {
            var day = window.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var scores = ordered
                .Where(r => Get(r, "created_at").StartsWith(day, StringComparison.Ordinal))
                .Select(Score)
                .ToArray();
            var offline = PerformanceEstimator.Estimate(
                scores,
                [.. scores.Select(calibration.Probability)],
                contract.Threshold,
                contract.Confidence,
                200,
                EvaluationOptions.DefaultSeed,
                calibration.Recalibrated
            );
            // Through the report's JSON, which writes 12 significant digits.
            var served = window.Estimated!;
            Assert.Equal((offline.N, offline.Recalibrated), (served.N, served.Recalibrated));
            Assert.Equal(offline.ExpectedTp, served.ExpectedTp, 1e-9);
            Assert.Equal(offline.ExpectedFn, served.ExpectedFn, 1e-9);
            foreach (var (name, value) in offline.Metrics)
            {
                Assert.Equal(value.Value, served.Metrics[name].Value, 1e-9);
                Assert.Equal(value.CiLow, served.Metrics[name].CiLow, 1e-9);
                Assert.Equal(value.CiHigh, served.Metrics[name].CiHigh, 1e-9);
            }
            if (window.Evaluation is { } realised)
            {
                // Estimated and realised side by side: the estimate lands inside the realised recall's interval.
                var recall = realised.Metrics["recall"];
                Assert.InRange(window.Estimated!.Metrics["recall"].Value, recall.CiLow, recall.CiHigh);
            }
        }
        Assert.Contains(report.Windows, w => w.Evaluation is null && w.Estimated is not null);
    }

    /// <summary>Puts the example contract with a workflow whose review of a case costs 1.5 EUR.</summary>
    private static async Task PutWithReviewCostAsync(RunningServer server)
    {
        using var admin = server.Client(KeyRole.Admin);
        var yaml = await File.ReadAllTextAsync(Path.Combine(Fixtures, "payments-fraud.yaml"));
        using var put = await admin.PutAsync(
            $"/v1/features/{Feature}/contract",
            new StringContent(yaml + "\nworkflow:\n  review_cost: 1.5\n")
        );
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    [Fact]
    public async Task WithAReviewCost_TheMonthPricesTheAbstainBand_FromTheSameErrorsAsItsConfusion()
    {
        await PutWithReviewCostAsync(_server);
        using var viewer = _server.Client(KeyRole.Viewer);
        var range = ReportJson.ReadRange(
            await viewer.GetStringAsync($"/v1/features/{Feature}/summary?from=2026-01-01&to=2026-02-01&resamples=0")
        )!;
        var evaluation = range.Evaluation!;
        var abstain = evaluation.Abstain!;
        // With no band, the errors are the month's: the same false flags and misses as its confusion counts.
        Assert.Equal(
            (evaluation.Confusion!.Fp, evaluation.Confusion.Fn, range.Labelled),
            (abstain.None.FalsePositives, abstain.None.FalseNegatives, abstain.N)
        );
        Assert.Equal((0.4, 0.6), (abstain.Current!.Low, abstain.Current.High));
        Assert.True(abstain.Optimal.CostPer1000 < abstain.None.CostPer1000, abstain.Statement);
        Assert.StartsWith("Sending payments scored ", abstain.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_OfTheMonth_MergesItsWindows_AndJudgesAsOverlapEvalJudgesAllItsRows()
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        // The windows are computed and stored first, so the month is merged from summaries read back from the store.
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await viewer.GetAsync($"/v1/features/{Feature}/metrics?from=2026-01-01&to=2026-02-01&resamples=200")
            ).StatusCode
        );
        var response = await viewer.GetAsync(
            $"/v1/features/{Feature}/summary?from=2026-01-01&to=2026-02-01&resamples=200"
        );
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        var range = ReportJson.ReadRange(json)!;
        var contract = ContractParser.Parse(await File.ReadAllTextAsync(Path.Combine(Fixtures, "payments-fraud.yaml")));
        var labelled = _rows.Where(r => string.CompareOrdinal(Get(r, "created_at"), "2026-01-26") < 0).ToList();
        Assert.Equal((31, 6000L, (long)labelled.Count), (range.Windows, range.Predictions, range.Labelled));
        Assert.Equal(6000 * 0.002, range.CostTotal!.Value, 1e-9);

        // Every labelled row of the month in one file, judged by overlap eval.
        var csv = string.Join('\n', [string.Join(',', _header), .. labelled.Select(r => string.Join(',', r))]);
        var table = TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            DataFormat.Csv,
            Evaluator.ReadOptions(contract, "january.csv")
        );
        // Through the report's JSON, as the merged one came.
        var offline = ReportJson.ReadEvaluation(
            ReportJson.Write(Evaluator.Evaluate(contract, table, new EvaluationOptions { Resamples = 200 }))
        )!;
        var merged = range.Evaluation!;
        Assert.Equal(offline.N, merged.N);
        Assert.Equal(offline.Confusion, merged.Confusion);
        // Counts are exact, so every proportion and its Wilson interval is too, overall and per segment.
        foreach (
            var name in new[]
            {
                "recall",
                "precision",
                "false_positive_rate",
                "specificity",
                "accuracy",
                "positive_rate",
            }
        )
        {
            Assert.Equal(offline.Metrics[name], merged.Metrics[name]);
        }
        foreach (var (column, values) in offline.Segments)
        {
            foreach (var (value, segment) in values)
            {
                Assert.Equal(segment.Confusion, merged.Segments[column][value].Confusion);
                Assert.Equal(segment.Metrics["recall"], merged.Segments[column][value].Metrics["recall"]);
            }
        }
        // Scores kept in bins of 0.001: the ranking figures move by about that much.
        Assert.Equal(offline.Metrics["roc_auc"].Value, merged.Metrics["roc_auc"].Value, 0.002);
        Assert.Equal(offline.Metrics["pr_auc"].Value, merged.Metrics["pr_auc"].Value, 0.005);
        Assert.Equal(offline.Metrics["brier"].Value, merged.Metrics["brier"].Value, 0.0005);
        Assert.Equal(offline.Metrics["roc_auc"].CiLow, merged.Metrics["roc_auc"].CiLow, 0.01);
        Assert.Equal(offline.Metrics["roc_auc"].CiHigh, merged.Metrics["roc_auc"].CiHigh, 0.01);
        foreach (var requirement in offline.Requirements.Where(r => r.Metric != "latency_p95_ms"))
        {
            Assert.Equal(
                requirement.Verdict,
                merged.Requirements.Single(r => r.Metric == requirement.Metric && r.By == requirement.By).Verdict
            );
        }

        // Latency over the whole month from the merged sketches, within half a percent of numpy on every row.
        using var fixtures = JsonDocument.Parse(
            await File.ReadAllTextAsync(Path.Combine(Fixtures, "latency_fixtures.json"))
        );
        var month = fixtures.RootElement.GetProperty("month");
        Assert.Equal(month.GetProperty("n").GetInt64(), range.LatencyMs!.N);
        Assert.Equal(
            month.GetProperty("p50").GetDouble(),
            range.LatencyMs.P50,
            month.GetProperty("p50").GetDouble() * 0.006
        );
        Assert.Equal(
            month.GetProperty("p95").GetDouble(),
            range.LatencyMs.P95,
            month.GetProperty("p95").GetDouble() * 0.006
        );
        Assert.Equal(
            month.GetProperty("p99").GetDouble(),
            range.LatencyMs.P99,
            month.GetProperty("p99").GetDouble() * 0.006
        );
        Assert.NotEqual(Verdict.Skipped, merged.Requirements.Single(r => r.Metric == "latency_p95_ms").Verdict);

        // The estimate over every prediction of the month: expected counts are sums, so they are exact.
        var ordered = _rows
            .OrderBy(r => DateTimeOffset.Parse(Get(r, "created_at"), CultureInfo.InvariantCulture))
            .ThenBy(r => Get(r, "payment_id"), StringComparer.Ordinal)
            .ToList();
        var reference = ordered.Where(r => string.CompareOrdinal(Get(r, "created_at"), "2026-01-26") < 0).ToList();
        var calibration = ScoreCalibration.Fit(
            [.. reference.Select(Score)],
            [.. reference.Select(r => Get(r, "outcome") == "fraud" ? (byte)1 : (byte)0)]
        );
        var scores = ordered.Select(Score).ToArray();
        var estimate = PerformanceEstimator.Estimate(
            scores,
            [.. scores.Select(calibration.Probability)],
            contract.Threshold,
            contract.Confidence,
            200,
            EvaluationOptions.DefaultSeed,
            calibration.Recalibrated
        );
        Assert.Equal(estimate.N, range.Estimated!.N);
        Assert.Equal(estimate.ExpectedTp, range.Estimated.ExpectedTp, 1e-6);
        Assert.Equal(estimate.ExpectedFp, range.Estimated.ExpectedFp, 1e-6);
        Assert.Equal(estimate.Metrics["recall"].Value, range.Estimated.Metrics["recall"].Value, 1e-9);
        Assert.Equal(estimate.Metrics["roc_auc"].Value, range.Estimated.Metrics["roc_auc"].Value, 0.002);
        // Its interval comes from normal draws per score bin rather than a draw per prediction: two Monte Carlo runs of
        // 200 draws of the same spread, whose ends agree to a fraction of the width.
        var (exact, drawn) = (estimate.Metrics["recall"], range.Estimated.Metrics["recall"]);
        var width = exact.CiHigh - exact.CiLow;
        Assert.True(
            Math.Abs(exact.CiLow - drawn.CiLow) < 0.3 * width && Math.Abs(exact.CiHigh - drawn.CiHigh) < 0.3 * width,
            $"per prediction [{exact.CiLow}, {exact.CiHigh}], merged [{drawn.CiLow}, {drawn.CiHigh}]"
        );

        // Drift was tested in every window with predictions against January itself.
        Assert.Equal(30, range.DriftTestedWindows);

        // Asked again with nothing changed, the merge is read back as it was.
        var again = await viewer.GetStringAsync(
            $"/v1/features/{Feature}/summary?from=2026-01-01&to=2026-02-01&resamples=200"
        );
        Assert.Equal(json, again);
    }

    [Fact]
    public async Task Summary_SeesALateLabel_AndChangesOnlyWhatItTouches()
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        var before = ReportJson.ReadRange(
            await viewer.GetStringAsync($"/v1/features/{Feature}/summary?from=2026-01-20&to=2026-02-01&resamples=0")
        )!;
        var waiting = _rows.First(r => string.CompareOrdinal(Get(r, "created_at"), "2026-01-27") >= 0);
        using var ingest = _server.Client(KeyRole.Ingest);
        var outcome =
            $$"""{"type":"outcome","id":"late-{{Get(waiting, "payment_id")}}","prediction_id":"{{Get(waiting, "payment_id")}}","label":"fraud","time":"2026-02-20T00:00:00Z"}""";
        Assert.Equal(
            HttpStatusCode.Accepted,
            (
                await ingest.PostAsync("/v1/events", new StringContent(outcome, Encoding.UTF8, "application/x-ndjson"))
            ).StatusCode
        );
        var after = ReportJson.ReadRange(
            await viewer.GetStringAsync($"/v1/features/{Feature}/summary?from=2026-01-20&to=2026-02-01&resamples=0")
        )!;
        Assert.Equal(before.Labelled + 1, after.Labelled);
        Assert.Equal(before.Predictions, after.Predictions);
        var (b, a) = (before.Evaluation!.Confusion!, after.Evaluation!.Confusion!);
        Assert.Equal(b.Tp + b.Fn + 1, a.Tp + a.Fn);
    }

    [Fact]
    public async Task Review_RoutesEveryUncertainPayment_AndASmallSampleOfTheRest()
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        var response = await viewer.GetAsync($"/v1/features/{Feature}/review?limit=500");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.True(root.GetProperty("routed").GetBoolean());
        // The contract: "score between 0.4 and 0.6", and 1% of all payments at random.
        var uncertain = _rows.Where(r => Score(r) is >= 0.4 and <= 0.6).Select(r => Get(r, "payment_id")).ToHashSet();
        var counts = root.GetProperty("counts");
        Assert.Equal(uncertain.Count, counts.GetProperty("uncertain").GetInt64());
        var sampled = counts.GetProperty("sampled").GetInt64();
        Assert.InRange(sampled, 30, 90);
        Assert.Equal(uncertain.Count + sampled, counts.GetProperty("pending").GetInt64());
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal((int)Math.Min(500, uncertain.Count + sampled), items.Count);
        foreach (var item in items)
        {
            var id = item.GetProperty("prediction_id").GetString()!;
            Assert.Equal(uncertain.Contains(id) ? "uncertain" : "sample", item.GetProperty("reason").GetString());
            Assert.Equal(Score(_rows.Single(r => Get(r, "payment_id") == id)), item.GetProperty("score").GetDouble());
        }
        // Asking again routes nothing new; an ingest key may not read the queue.
        using var again = JsonDocument.Parse(await viewer.GetStringAsync($"/v1/features/{Feature}/review"));
        Assert.Equal(
            uncertain.Count + sampled,
            again.RootElement.GetProperty("counts").GetProperty("pending").GetInt64()
        );
        using var ingest = _server.Client(KeyRole.Ingest);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync($"/v1/features/{Feature}/review")).StatusCode);
        Assert.Equal(
            HttpStatusCode.BadRequest,
            (await viewer.GetAsync($"/v1/features/{Feature}/review?status=maybe")).StatusCode
        );
    }

    [Fact]
    public async Task Review_AClaimedDecision_BecomesAReviewedOutcomeInTheMetrics()
    {
        using var reviewer = _server.Client(KeyRole.Reviewer);
        using var other = _server.Client(KeyRole.Admin);
        using var viewer = _server.Client(KeyRole.Viewer);
        using var queue = JsonDocument.Parse(await viewer.GetStringAsync($"/v1/features/{Feature}/review?limit=500"));
        // Two routed payments of 28 January, a day whose labels have not come yet.
        var waiting = queue
            .RootElement.GetProperty("items")
            .EnumerateArray()
            .Where(i =>
                i.GetProperty("prediction_time").GetString()!.StartsWith("2026-01-28", StringComparison.Ordinal)
            )
            .Select(i => (Id: i.GetProperty("prediction_id").GetString()!, Score: i.GetProperty("score").GetDouble()))
            .Take(2)
            .ToList();
        Assert.Equal(2, waiting.Count);
        var (first, second) = (waiting[0].Id, waiting[1].Id);
        var before = (await MetricsAsync("from=2026-01-28&to=2026-01-29&resamples=0")).Windows.Single();
        Assert.Equal(0, before.Labelled);

        // A viewer sees but may not decide; deciding needs the claim; the claim is one reviewer's at a time.
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await viewer.PostAsync($"/v1/features/{Feature}/review/{first}/claim", null)).StatusCode
        );
        var correct = JsonContent(
            """{"decision":"correct","label":"legit","category":"merchant_error","note":"a <b>duplicate</b> charge, not fraud"}"""
        );
        Assert.Equal(
            HttpStatusCode.Conflict,
            (await reviewer.PostAsync($"/v1/features/{Feature}/review/{first}/decision", correct)).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (await reviewer.PostAsync($"/v1/features/{Feature}/review/{first}/claim", null)).StatusCode
        );
        var taken = await other.PostAsync($"/v1/features/{Feature}/review/{first}/claim", null);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains(
            "Another reviewer holds this item",
            await taken.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
        var bad = await reviewer.PostAsync(
            $"/v1/features/{Feature}/review/{first}/decision",
            JsonContent("""{"decision":"correct","label":"maybe"}""")
        );
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("fraud, legit", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var decided = await reviewer.PostAsync($"/v1/features/{Feature}/review/{first}/decision", correct);
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Equal(
            "legit",
            JsonDocument.Parse(await decided.Content.ReadAsStringAsync()).RootElement.GetProperty("label").GetString()
        );
        // A decided item is closed.
        Assert.Equal(
            HttpStatusCode.Conflict,
            (await other.PostAsync($"/v1/features/{Feature}/review/{first}/claim", null)).StatusCode
        );

        // Approving the second: the model's own decision (score against the 0.15 threshold) becomes its label.
        Assert.Equal(
            HttpStatusCode.OK,
            (await other.PostAsync($"/v1/features/{Feature}/review/{second}/claim", null)).StatusCode
        );
        var approved = await other.PostAsync(
            $"/v1/features/{Feature}/review/{second}/decision",
            JsonContent("""{"decision":"approve"}""")
        );
        Assert.Equal(
            waiting[1].Score >= 0.15 ? "fraud" : "legit",
            JsonDocument.Parse(await approved.Content.ReadAsStringAsync()).RootElement.GetProperty("label").GetString()
        );

        // The window now has two labelled payments, and the decisions are outcomes marked as reviewed by a person.
        var after = (await MetricsAsync("from=2026-01-28&to=2026-01-29&resamples=0")).Windows.Single();
        Assert.Equal(2, after.Labelled);
        Assert.Equal(2, (await _server.CountAsync(Feature)).Labelled - 5000);
        using var counts = JsonDocument.Parse(await viewer.GetStringAsync($"/v1/features/{Feature}/review"));
        Assert.Equal(2, counts.RootElement.GetProperty("counts").GetProperty("decided").GetInt64());
        // Both decisions were made today (UTC), the last of the 14 days listed.
        var perDay = counts.RootElement.GetProperty("decided_per_day").EnumerateArray().ToList();
        Assert.Equal(14, perDay.Count);
        Assert.Equal([.. Enumerable.Repeat(0L, 13), 2L], perDay.Select(d => d.GetProperty("decided").GetInt64()));
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await reviewer.PostAsync($"/v1/features/{Feature}/review/no-such-payment/claim", null)).StatusCode
        );
        var malformed = await reviewer.PostAsync(
            $"/v1/features/{Feature}/review/{second}/decision",
            JsonContent("{decision: approve")
        );
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("decision", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The corrected payment, and only it, is a regression case for the next evaluation set, with the reviewer's label,
        // and overlap eval reads the export as it is.
        var export = await viewer.GetStringAsync($"/v1/features/{Feature}/export?regression=true");
        var contract = ContractParser.Parse(await File.ReadAllTextAsync(Path.Combine(Fixtures, "payments-fraud.yaml")));
        var table = TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(export)),
            DataFormat.Csv,
            Evaluator.ReadOptions(contract, "regression.csv")
        );
        Assert.Equal(1, table.RowCount);
        Assert.Equal(first, table.Find("payment_id")!.Text(0));
        Assert.Equal("legit", table.Find("outcome")!.Text(0));
    }

    [Fact]
    public async Task Review_ADecisionWhoseOutcomeAStopCutOff_IsRecordedWhenTheServerStarts()
    {
        using (var viewer = _server.Client(KeyRole.Viewer))
        {
            await viewer.GetStringAsync($"/v1/features/{Feature}/review");
        }
        // The decision is stored, then the server stops before writing its outcome.
        var reviews = _server.Store<IReviewStore>();
        var item = (await reviews.ListReviewItemsAsync(Feature, ReviewStatus.Pending, 1))[0];
        var now = TimeProvider.System.GetUtcNow();
        await reviews.ClaimReviewItemAsync(Feature, item.PredictionId, "ana", now, now.AddMinutes(10));
        Assert.True(
            await reviews.DecideReviewItemAsync(
                new ReviewDecision(Feature, item.PredictionId, "ana", "correct", "fraud", null, null, now),
                ReviewStatus.Decided
            )
        );
        var before = await _server.CountAsync(Feature);

        var folder = _server.Folder;
        await _server.StopKeepingDataAsync();
        _server = await RunningServer.StartAsync(folder);
        Assert.Equal(before.Outcomes + 1, (await _server.CountAsync(Feature)).Outcomes);
        Assert.Empty(await _server.Store<IReviewStore>().UnrecordedDecisionsAsync());
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    private double Score(string[] row) => double.Parse(Get(row, "p_fraud"), CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("csv", DataFormat.Csv)]
    [InlineData("parquet", DataFormat.Parquet)]
    public async Task Export_LabelledRows_AreTheNextEvaluationSet(string format, DataFormat dataFormat)
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        var response = await viewer.GetAsync(
            $"/v1/features/{Feature}/export?labelled=true&format={format}&from=2026-01-20"
        );
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var contract = ContractParser.Parse(await File.ReadAllTextAsync(Path.Combine(Fixtures, "payments-fraud.yaml")));
        // Read back as overlap eval reads a file: the same verdicts and figures as the rows it came from.
        var exported = TableReader.Read(
            new MemoryStream(bytes),
            dataFormat,
            Evaluator.ReadOptions(contract, $"export.{format}")
        );
        var rows = _rows
            .Where(r =>
                string.CompareOrdinal(Get(r, "created_at"), "2026-01-20") >= 0
                && string.CompareOrdinal(Get(r, "created_at"), "2026-01-26") < 0
            )
            .OrderBy(r => DateTimeOffset.Parse(Get(r, "created_at"), CultureInfo.InvariantCulture))
            .ThenBy(r => Get(r, "payment_id"), StringComparer.Ordinal)
            .ToList();
        Assert.Equal(rows.Count, exported.RowCount);
        var csv = string.Join('\n', [string.Join(',', _header), .. rows.Select(r => string.Join(',', r))]);
        var original = TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            DataFormat.Csv,
            Evaluator.ReadOptions(contract, "original.csv")
        );
        var options = new EvaluationOptions { Resamples = 100 };
        Assert.Equal(
            ReportJson.Write(Evaluator.Evaluate(contract, original, options)),
            ReportJson.Write(Evaluator.Evaluate(contract, exported, options))
        );
        // Every watched input is there too, as numbers where they are numbers.
        var all = TableReader.Read(new MemoryStream(bytes), dataFormat, new TableReadOptions { Source = "export" });
        Assert.IsType<NumericColumn>(all.Find("amount"));
        Assert.IsType<CategoricalColumn>(all.Find("channel"));
        Assert.Equal(
            rows.Select(r => Get(r, "payment_id")),
            Enumerable.Range(0, all.RowCount).Select(all.Find("payment_id")!.Text)
        );
    }

    [Fact]
    public async Task Export_UnknownFormat_IsA400()
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        var response = await viewer.GetAsync($"/v1/features/{Feature}/export?format=xlsx");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("use csv or parquet", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var ingest = _server.Client(KeyRole.Ingest);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync($"/v1/features/{Feature}/export")).StatusCode);
    }

    [Fact]
    public async Task ClosedWindows_AreReadBackUntilTheirDataChange()
    {
        var first = await MetricsAsync("from=2026-01-01&to=2026-01-04&resamples=100");
        var again = await MetricsAsync("from=2026-01-01&to=2026-01-04&resamples=100");
        Assert.Equal(ReportJson.Write(first), ReportJson.Write(again));

        // A late label for a payment of 2 January (relabelled as fraud) changes that window alone.
        var payment = _rows.First(r =>
            Get(r, "created_at").StartsWith("2026-01-02", StringComparison.Ordinal) && Get(r, "outcome") == "legit"
        );
        using (var ingest = _server.Client(KeyRole.Ingest))
        {
            var late =
                $$$"""[{"type":"outcome","id":"late-1","prediction_id":"{{{Get(payment, "payment_id")}}}","label":"fraud","time":"2026-03-01T00:00:00Z"}]""";
            Assert.Equal(
                HttpStatusCode.Accepted,
                (
                    await ingest.PostAsync("/v1/events", new StringContent(late, Encoding.UTF8, "application/json"))
                ).StatusCode
            );
        }
        var after = await MetricsAsync("from=2026-01-01&to=2026-01-04&resamples=100");
        Assert.Equal(
            [first.Windows[0].ComputedAt, first.Windows[2].ComputedAt],
            new[] { after.Windows[0].ComputedAt, after.Windows[2].ComputedAt }
        );
        Assert.NotEqual(first.Windows[1].ComputedAt, after.Windows[1].ComputedAt);
        Assert.Equal(
            first.Windows[1].Evaluation!.Confusion!.Tp + first.Windows[1].Evaluation!.Confusion!.Fn + 1,
            after.Windows[1].Evaluation!.Confusion!.Tp + after.Windows[1].Evaluation!.Confusion!.Fn
        );
        // Other settings are other reports.
        var fewer = await MetricsAsync("from=2026-01-01&to=2026-01-04&resamples=0");
        Assert.NotEqual(after.Windows[0].ComputedAt, fewer.Windows[0].ComputedAt);
    }

    [Fact]
    public async Task Latency_PercentilesMatchNumpy_CostIsSummed()
    {
        var report = await MetricsAsync("from=2026-01-01&to=2026-01-04&resamples=0");
        using var fixtures = JsonDocument.Parse(
            await File.ReadAllTextAsync(Path.Combine(Fixtures, "latency_fixtures.json"))
        );
        foreach (var window in report.Windows)
        {
            var expected = fixtures
                .RootElement.GetProperty("days")
                .GetProperty(window.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Assert.Equal(expected.GetProperty("n").GetInt64(), window.LatencyMs!.N);
            Assert.Equal(expected.GetProperty("p50").GetDouble(), window.LatencyMs.P50, 1e-9);
            Assert.Equal(expected.GetProperty("p95").GetDouble(), window.LatencyMs.P95, 1e-9);
            Assert.Equal(expected.GetProperty("p99").GetDouble(), window.LatencyMs.P99, 1e-9);
            Assert.Equal(200 * 0.002, window.CostTotal!.Value, 1e-12);
            Assert.Equal(0.002, window.CostMean!.Value, 1e-15);
        }
    }

    [Fact]
    public async Task UnlabelledAndEmptyWindows_SayWhatTheyHave()
    {
        var report = await MetricsAsync("from=2026-01-28T00:00:00Z&to=2026-02-01T00:00:00Z&resamples=0");
        Assert.Equal([200, 200, 200, 0], report.Windows.Select(w => w.Predictions));
        Assert.All(report.Windows, w => Assert.Equal(0, w.Labelled));
        Assert.All(report.Windows, w => Assert.Null(w.Evaluation));
        Assert.Null(report.Windows[^1].LatencyMs);
    }

    [Theory]
    [InlineData("from=2026-01-05&to=2026-01-01", "from before to")]
    [InlineData("from=yesterday", "ISO 8601")]
    [InlineData("from=2020-01-01&to=2026-01-01", "at most 400")]
    [InlineData("resamples=-1", "resamples must be between 0")]
    public async Task BadRanges_AreA400ThatSaysWhatToAskFor(string query, string mention)
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        var response = await viewer.GetAsync($"/v1/features/{Feature}/metrics?{query}");
        var summary = await viewer.GetAsync(
            $"/v1/features/{Feature}/summary?{query.Replace("2020-01-01", "1990-01-01", StringComparison.Ordinal)}"
        );
        Assert.Equal(HttpStatusCode.BadRequest, summary.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mention, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/v1/features/nothing/metrics")).StatusCode);
    }

    [Fact]
    public async Task TheFeaturePage_SaysWhatPeopleInsteadOfTheModelWouldCost()
    {
        // The page shows the 30 days up to the end of the current window by the server's clock: 3 January to 2 February.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(
            new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)
        );
        await using var server = await RunningServer.StartAsync(configure: o => o with { Time = clock });
        await PutWithReviewCostAsync(server);
        using var ingest = server.Client(KeyRole.Ingest);
        using (
            var sent = await ingest.PostAsync(
                "/v1/events",
                new StringContent(Events(_header, _rows), Encoding.UTF8, "application/x-ndjson")
            )
        )
        {
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        }
        await server.CountAsync(Feature);
        using var browser = new Overlap.Server.Tests.Dashboard.Browser(server.Address);
        await browser.SubmitAsync(
            "/signin",
            "key-form",
            new Dictionary<string, string> { ["Form.Key"] = server.Key(KeyRole.Viewer) }
        );
        var (status, page) = await browser.PageAsync($"/features/{Feature}");
        Assert.Equal(HttpStatusCode.OK, status);
        using var viewer = server.Client(KeyRole.Viewer);
        var range = ReportJson.ReadRange(
            await viewer.GetStringAsync($"/v1/features/{Feature}/summary?from=2026-01-03&to=2026-02-02")
        )!;
        var statement = range.Evaluation!.Abstain!.Statement!;
        Assert.StartsWith("Sending payments scored ", statement, StringComparison.Ordinal);
        var shown = System.Text.RegularExpressions.Regex.Match(
            page,
            "data-testid=\"abstain-statement\"[^>]*>(?:<[^>]+>)*([^<]*)"
        );
        Assert.True(
            shown.Success,
            page.Contains("data-testid=\"threshold\"", StringComparison.Ordinal)
                ? "no abstain section"
                : "no threshold section either"
        );
        Assert.Equal(statement, System.Net.WebUtility.HtmlDecode(shown.Groups[1].Value));
        // No band, the contract's band, the cheapest, and three widths around the threshold.
        Assert.Equal(6, System.Text.RegularExpressions.Regex.Count(page, "data-testid=\"abstain-band\""));
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Overlap.Events.Experiments;
using Overlap.Storage;

namespace Overlap.Server.Tests.Experiments;

/// <summary>
/// A shadow experiment on a running server with a fake clock: served predictions of the control, the treatment's
/// shadow predictions ("@shadow" ids) and outcomes for the served ids only, sent through the ingest API, give the
/// paired analysis scipy, statsmodels and scikit-learn give for the same pairs (the Core fixture's "shadow" case) and
/// a promote decision; pairs whose label has not had time to arrive, shadow predictions with no served prediction and
/// served predictions with no shadow are left out and counted.
/// </summary>
public sealed class ShadowExperimentTests : IAsyncLifetime
{
    private static readonly JsonElement Case = JsonDocument
        .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "experiments", "experiments.json")))
        .RootElement.GetProperty("shadow")
        .Clone();

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
    private RunningServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(configure: o => o with { Time = _clock });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private const string Contract = """
        feature: spam-filter
        task: binary
        labels: { positive: spam, negative: ham }
        columns: { label: is_spam, score: p_spam }
        words: { positive: spam email, negative: legitimate email, action: moved to spam, example: email }
        monitoring:
          window: 1d
          label_delay: 2d
        experiments:
          - name: challenger
            control: nb@1
            treatment: nb@2
            shadow: true
            primary:
              - { metric: recall, min_effect: 0.03 }
              - { metric: accuracy, min_effect: 0.02 }
            guardrails:
              - { metric: false_positive_rate, margin: 0.02 }
              - { metric: precision, margin: 0.02 }
              - { metric: latency_p95_ms, margin: 50 }
        """;

    private static string Line(Dictionary<string, object> e) => JsonSerializer.Serialize(e);

    private static Dictionary<string, object> Prediction(
        string id,
        DateTimeOffset time,
        string version,
        double score,
        double? latency
    )
    {
        var e = new Dictionary<string, object>
        {
            ["type"] = "prediction",
            ["id"] = id,
            ["feature"] = "spam-filter",
            ["time"] = time.ToString("O"),
            ["score"] = score,
            ["model_version"] = version,
        };
        if (latency is { } l)
        {
            e["latency_ms"] = l;
        }
        return e;
    }

    private static Dictionary<string, object> Outcome(string predictionId, DateTimeOffset time, bool spam) =>
        new()
        {
            ["type"] = "outcome",
            ["id"] = $"o-{predictionId}",
            ["prediction_id"] = predictionId,
            ["feature"] = "spam-filter",
            ["label"] = spam ? "spam" : "ham",
            ["time"] = time.AddHours(1).ToString("O"),
        };

    /// <summary>
    /// The fixture's 2,000 pairs from Nov 2 (labels in time); 30 more pairs on Nov 10, inside the 2-day label delay;
    /// 3 shadow predictions with no served one; 2 served predictions with no shadow.
    /// </summary>
    private async Task SendAsync()
    {
        var ids = Case.GetProperty("ids").EnumerateArray().Select(x => x.GetString()!).ToArray();
        double[] Doubles(string name) => [.. Case.GetProperty(name).EnumerateArray().Select(x => x.GetDouble())];
        var labels = Case.GetProperty("labels").EnumerateArray().Select(x => x.GetInt32() == 1).ToArray();
        var (served, shadow) = (Doubles("served_scores"), Doubles("shadow_scores"));
        var (servedLatency, shadowLatency) = (Doubles("served_latency"), Doubles("shadow_latency"));
        var lines = new List<string>();
        var start = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        // Sent in reverse, so the pairing cannot lean on the order the store keeps.
        for (var i = ids.Length - 1; i >= 0; i--)
        {
            var time = start.AddMinutes(i * 4);
            lines.Add(Line(Prediction(ids[i], time, "nb@1", served[i], servedLatency[i])));
            lines.Add(Line(Prediction(ShadowPrediction.Id(ids[i]), time, "nb@2", shadow[i], shadowLatency[i])));
            lines.Add(Line(Outcome(ids[i], time, labels[i])));
        }
        var late = new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 30; i++)
        {
            // Labelled, but too late to count: the treatment misses every one, which would sink its recall if counted.
            var id = $"late-{i}";
            lines.Add(Line(Prediction(id, late.AddMinutes(i), "nb@1", 0.9, null)));
            lines.Add(Line(Prediction(ShadowPrediction.Id(id), late.AddMinutes(i), "nb@2", 0.1, null)));
            lines.Add(Line(Outcome(id, late.AddMinutes(i), spam: true)));
        }
        for (var i = 0; i < 3; i++)
        {
            lines.Add(Line(Prediction(ShadowPrediction.Id($"lost-{i}"), start.AddMinutes(i), "nb@2", 0.7, 5000)));
        }
        for (var i = 0; i < 2; i++)
        {
            lines.Add(Line(Prediction($"alone-{i}", start.AddMinutes(i), "nb@1", 0.2, 5000)));
            lines.Add(Line(Outcome($"alone-{i}", start.AddMinutes(i), spam: true)));
        }
        using var ingest = _server.Client(KeyRole.Ingest);
        var content = new StringContent(string.Join("\n", lines) + "\n", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        var response = await ingest.PostAsync("/v1/events", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains(
            string.Create(CultureInfo.InvariantCulture, $"\"accepted\":{lines.Count}"),
            body,
            StringComparison.Ordinal
        );
    }

    private static void Close(JsonElement expected, JsonElement actual, double tolerance = 1e-9)
    {
        Assert.True(
            Math.Abs(expected.GetDouble() - actual.GetDouble())
                <= tolerance * Math.Max(1, Math.Abs(expected.GetDouble())),
            $"expected {expected.GetDouble():R}, got {actual.GetDouble():R}"
        );
    }

    [Fact]
    public async Task ShadowPairs_GiveThePairedAnalysisOfTheFixture_AndPromote_LeavingOutWhatCannotBePaired()
    {
        await ExperimentApi.PutContractAsync(_server, "spam-filter", Contract);
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 11, 9, 0, 0, TimeSpan.Zero));
        await SendAsync();
        using var viewer = _server.Client(KeyRole.Viewer);

        var analysis = await ExperimentApi.Json(await viewer.GetAsync("/v1/experiments/challenger"));
        // No split to check (null fields are left out of the answer).
        Assert.False(analysis.TryGetProperty("split", out _));
        var shadow = analysis.GetProperty("shadow");
        Assert.Equal(
            (2030, 2000, 3, 2),
            (
                shadow.GetProperty("pairs").GetInt32(),
                shadow.GetProperty("labelled").GetInt32(),
                shadow.GetProperty("shadow_without_served").GetInt32(),
                shadow.GetProperty("served_without_shadow").GetInt32()
            )
        );
        var figures = analysis
            .GetProperty("primary")
            .EnumerateArray()
            .Concat(analysis.GetProperty("guardrails").EnumerateArray())
            .ToDictionary(f => f.GetProperty("metric").GetString()!);
        foreach (var name in new[] { "recall", "accuracy", "false_positive_rate", "precision" })
        {
            var (expected, actual) = (Case.GetProperty("metrics").GetProperty(name), figures[name]);
            Close(expected.GetProperty("control"), actual.GetProperty("control"));
            Close(expected.GetProperty("treatment"), actual.GetProperty("treatment"));
            Close(expected.GetProperty("difference"), actual.GetProperty("difference"));
            for (var k = 0; k < 2; k++)
            {
                Close(expected.GetProperty("fixed")[k], actual.GetProperty("fixed_horizon")[k], 1e-12);
                Close(expected.GetProperty("always_valid")[k], actual.GetProperty("always_valid")[k]);
            }
            var mcnemar = expected.GetProperty("mcnemar");
            if (mcnemar.ValueKind == JsonValueKind.Null)
            {
                Assert.False(actual.TryGetProperty("mcnemar", out _));
                continue;
            }
            var test = actual.GetProperty("mcnemar");
            Assert.Equal(mcnemar.GetProperty("control_only").GetInt64(), test.GetProperty("control_only").GetInt64());
            Assert.Equal(
                mcnemar.GetProperty("treatment_only").GetInt64(),
                test.GetProperty("treatment_only").GetInt64()
            );
            Close(mcnemar.GetProperty("p"), test.GetProperty("p_value"));
            Assert.Equal(
                mcnemar.GetProperty("exact").GetBoolean() ? "mcnemar_exact" : "mcnemar_chi2",
                test.GetProperty("method").GetString()
            );
        }
        var latency = Case.GetProperty("latency_p95_ms");
        Close(latency.GetProperty("control"), figures["latency_p95_ms"].GetProperty("control"));
        Close(latency.GetProperty("treatment"), figures["latency_p95_ms"].GetProperty("treatment"));
        Close(latency.GetProperty("always_valid")[1], figures["latency_p95_ms"].GetProperty("always_valid")[1]);

        // The 30 late pairs await their labels: each side is estimated from its own scores, calibrated on its side of
        // the labelled pairs (the shadow taking the served label), in the order the pairs are analysed (by served id).
        var contract = Overlap.Core.Contracts.ContractParser.Parse(Contract);
        var ids = Case.GetProperty("ids").EnumerateArray().Select(x => x.GetString()!).ToArray();
        var order = Enumerable.Range(0, ids.Length).OrderBy(i => ids[i], StringComparer.Ordinal).ToArray();
        var labels = Case.GetProperty("labels").EnumerateArray().Select(x => (byte)x.GetInt32()).ToArray();
        var estimated = analysis.GetProperty("estimated");
        foreach (
            var (side, version, late, i) in new[]
            {
                ("served_scores", "nb@1", 0.9, 0),
                ("shadow_scores", "nb@2", 0.1, 1),
            }
        )
        {
            var scores = Case.GetProperty(side).EnumerateArray().Select(x => x.GetDouble()).ToArray();
            var expected = Overlap.Core.Experiments.ArmEstimator.Estimate(
                contract,
                contract.Experiments[0],
                new Overlap.Core.Experiments.ArmScores
                {
                    Version = version,
                    LabelledScores = [.. order.Select(k => scores[k])],
                    Labels = [.. order.Select(k => labels[k])],
                    AwaitingScores = [.. Enumerable.Repeat(late, 30)],
                },
                Overlap.Server.Monitoring.FeatureMonitor.MinRecalibrationRows
            );
            var e = estimated[i];
            Assert.Equal(version, e.GetProperty("version").GetString());
            Assert.Equal(
                (30, 2000),
                (e.GetProperty("awaiting").GetInt32(), e.GetProperty("calibration_rows").GetInt32())
            );
            Assert.Equal(labels.Count(l => l == 1), e.GetProperty("calibration_positives").GetInt32());
            var metrics = e.GetProperty("metrics").EnumerateArray().ToList();
            Assert.Equal(
                ["recall", "accuracy", "false_positive_rate", "precision"],
                metrics.Select(m => m.GetProperty("metric").GetString())
            );
            foreach (var (m, want) in metrics.Zip(expected.Metrics))
            {
                if (double.IsNaN(want.Value.Value))
                {
                    Assert.False(m.TryGetProperty("value", out _), $"{version} {want.Metric} should be absent");
                }
                else
                {
                    Assert.Equal(want.Value.Value, m.GetProperty("value").GetDouble(), 12);
                }
            }
            Assert.Equal(
                Overlap.Core.Experiments.ExperimentStatements.Estimated(expected with { Shadow = i == 1 }, contract),
                e.GetProperty("statement").GetString()
            );
        }
        // The shadow flags none of its 30: its precision cannot be estimated, and the statement says so in words.
        Assert.Contains(
            "Not yet labelled: 30 emails scored in shadow by nb@2.",
            estimated[1].GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );
        Assert.Contains(
            "precision cannot be estimated",
            estimated[1].GetProperty("statement").GetString(),
            StringComparison.Ordinal
        );

        var decision = await ExperimentApi.Json(await viewer.GetAsync("/v1/experiments/challenger/decision"));
        Assert.Equal("rollout", decision.GetProperty("decision").GetString());
        Assert.Equal(
            ["recall", "accuracy"],
            decision.GetProperty("reasons").EnumerateArray().Select(r => r.GetString())
        );
        var statement = decision.GetProperty("statement").GetString()!;
        Assert.StartsWith(
            "Promote nb@2: in shadow, on the same 2,000 labelled emails, recall is 5.25 points higher (+2.413 to +8.087 points, always-valid 95%)",
            statement,
            StringComparison.Ordinal
        );
        Assert.EndsWith(
            " 3 shadow predictions had no served prediction and are left out.",
            statement,
            StringComparison.Ordinal
        );

        // The assign endpoint serves the control to every unit of a shadow experiment.
        var assign = await ExperimentApi.Json(await viewer.GetAsync("/v1/experiments/challenger/assign?unit=m0001"));
        Assert.Equal("nb@1", assign.GetProperty("version").GetString());
    }
}

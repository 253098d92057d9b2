using Microsoft.Extensions.Time.Testing;
using Overlap.Core.Contracts;
using Overlap.Core.Experiments;
using Overlap.Core.Metrics;
using Overlap.Events.Experiments;
using Overlap.Server.Monitoring;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Server.Tests.Experiments;

/// <summary>
/// An A/B experiment whose latest predictions are within the contract's label_delay, on a running server with a fake
/// clock: they are reported per arm as awaiting labels, with estimates from each arm's own calibrated scores; the
/// labelled figures and the decision leave them out, even when their labels, once counted, would tell another story.
/// </summary>
public sealed class ExperimentEstimateTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 11, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LabelledBefore = Now.AddDays(-3);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
    private RunningServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(configure: o => o with { Time = _clock });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static readonly string ContractText = ExperimentMail.Contract("spam-filter", "spam-v2", 0.03, "3d");

    /// <summary>
    /// 4,000 emails from Nov 2 to Nov 10 (a third spam), each assigned by its id, every label sent an hour later. The
    /// control catches 80% of spam, the treatment 95%, both flagging 5% of legitimate mail, with scores that mean
    /// different things per arm; but the treatment's emails of the last three days (within label_delay) catch only 10%.
    /// </summary>
    private async Task<List<ExperimentMail.Email>> SendAsync()
    {
        var random = new Random(11);
        var sent = new List<ExperimentMail.Email>();
        for (var i = 0; i < 4_000; i++)
        {
            var id = $"m-{i}";
            var version = ArmAssignment.Arm("spam-v2", id, [50, 50]) == 0 ? "nb@1" : "nb@2";
            var time = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero).AddMinutes(i * 3);
            var spam = random.NextDouble() < 1.0 / 3;
            var catches =
                version == "nb@1" ? 0.80
                : time < LabelledBefore ? 0.95
                : 0.10;
            var caught = spam ? random.NextDouble() < catches : random.NextDouble() < 0.05;
            // Flagged scores in [0.5, 1), others in [0, 0.5); the treatment's crowd towards the threshold.
            var u = random.NextDouble();
            var spread = version == "nb@1" ? u : Math.Sqrt(u);
            var score = Math.Round(caught ? 0.5 + (0.4999 * spread) : 0.4999 * (1 - spread), 4);
            var latency = Math.Round(80 + (40 * random.NextDouble()), 1);
            sent.Add(new ExperimentMail.Email(id, time, version, spam, caught, latency, Score: score));
        }
        await ExperimentApi.SendAsync(_server, ExperimentMail.Ndjson("spam-filter", sent, TimeSpan.FromHours(1)));
        return sent;
    }

    private static Confusion Confusion(IEnumerable<ExperimentMail.Email> rows) =>
        rows.Aggregate(default(Confusion), (c, r) => c + Core.Metrics.Confusion.One(r.Spam, r.Caught));

    [Fact]
    public async Task PredictionsWithinLabelDelay_AreEstimatedPerArm_AndLeftOutOfTheFiguresAndTheDecision()
    {
        await ExperimentApi.PutContractAsync(_server, "spam-filter", ContractText);
        _clock.SetUtcNow(Now);
        var sent = await SendAsync();
        using var viewer = _server.Client(KeyRole.Viewer);
        var analysis = await ExperimentApi.Json(await viewer.GetAsync("/v1/experiments/spam-v2"));

        // The labelled figures are those of the predictions older than label_delay only.
        var contract = ContractParser.Parse(ContractText);
        var spec = contract.Experiments[0];
        var labelled = sent.Where(s => s.Time < LabelledBefore).ToList();
        var (control, treatment) = (
            Confusion(labelled.Where(s => s.Version == "nb@1")),
            Confusion(labelled.Where(s => s.Version == "nb@2"))
        );
        var recall = analysis.GetProperty("primary")[0];
        Assert.Equal((double)control.Tp / control.Positives, recall.GetProperty("control").GetDouble(), 12);
        Assert.Equal((double)treatment.Tp / treatment.Positives, recall.GetProperty("treatment").GetDouble(), 12);

        // The decision on those alone is a rollout; counting the treatment's recent emails would have made it unclear.
        ExperimentDecision Decision(IReadOnlyList<ExperimentMail.Email> counted)
        {
            ArmSample Arm(string version) =>
                new()
                {
                    Version = version,
                    Units = sent.Count(s => s.Version == version),
                    Labelled = Confusion(counted.Where(s => s.Version == version)),
                    LatencyMs = [.. sent.Where(s => s.Version == version).Select(s => s.LatencyMs)],
                };
            var elapsed = Now - new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
            return ExperimentAnalysis.Analyze(contract, spec, Arm("nb@1"), Arm("nb@2"), elapsed).Decision;
        }
        Assert.Equal(ExperimentDecision.Rollout, Decision(labelled));
        Assert.NotEqual(ExperimentDecision.Rollout, Decision(sent));
        Assert.Equal("rollout", analysis.GetProperty("summary").GetProperty("decision").GetString());

        // Each arm's recent predictions are awaiting labels, estimated from its own labelled predictions' calibration.
        var estimated = analysis.GetProperty("estimated");
        Assert.Equal(2, estimated.GetArrayLength());
        foreach (var (arm, version, i) in new[] { ("control", "nb@1", 0), ("treatment", "nb@2", 1) })
        {
            var e = estimated[i];
            var own = labelled.Where(s => s.Version == version).ToList();
            var awaiting = sent.Where(s => s.Version == version && s.Time >= LabelledBefore).ToList();
            Assert.True(awaiting.Count > 150, $"{version}: {awaiting.Count} awaiting");
            Assert.Equal(arm, e.GetProperty("arm").GetString());
            Assert.Equal(version, e.GetProperty("version").GetString());
            Assert.Equal(awaiting.Count, e.GetProperty("awaiting").GetInt64());
            Assert.Equal(own.Count, e.GetProperty("calibration_rows").GetInt64());
            Assert.Equal(own.Count(s => s.Spam), e.GetProperty("calibration_positives").GetInt64());
            Assert.Equal(FeatureMonitor.MinRecalibrationRows, e.GetProperty("minimum_rows").GetInt32());
            Assert.True(e.GetProperty("calibrated").GetBoolean());
            // The same estimate as the arm's own rows give (the estimator itself is checked against scikit-learn).
            var expected = ArmEstimator.Estimate(
                contract,
                spec,
                new ArmScores
                {
                    Version = version,
                    LabelledScores = [.. own.Select(s => s.Score!.Value)],
                    Labels = [.. own.Select(s => s.Spam ? (byte)1 : (byte)0)],
                    AwaitingScores = [.. awaiting.Select(s => s.Score!.Value)],
                },
                FeatureMonitor.MinRecalibrationRows
            );
            Assert.Equal(expected.Isotonic, e.GetProperty("isotonic").GetBoolean());
            var metrics = e.GetProperty("metrics");
            Assert.Equal(
                ["recall", "false_positive_rate"],
                metrics.EnumerateArray().Select(m => m.GetProperty("metric").GetString())
            );
            foreach (var (m, want) in metrics.EnumerateArray().Zip(expected.Metrics))
            {
                Assert.Equal(want.Value.Value, m.GetProperty("value").GetDouble(), 12);
                Assert.Equal(want.Value.CiLow, m.GetProperty("ci_low").GetDouble(), 12);
                Assert.Equal(want.Value.CiHigh, m.GetProperty("ci_high").GetDouble(), 12);
                Assert.Equal(awaiting.Count, m.GetProperty("n").GetInt64());
            }
            var statement = e.GetProperty("statement").GetString()!;
            Assert.StartsWith(
                $"Not yet labelled: {awaiting.Count} emails served by {version}. Estimated from its scores",
                statement
            );
            Assert.EndsWith("An estimate, not a measurement: the decision waits for their labels.", statement);
            Assert.DoesNotContain("NaN", statement);
        }
        // The control's recent emails are like its labelled ones: the estimate is near what their labels show.
        var controlAwaiting = sent.Where(s => s.Version == "nb@1" && s.Time >= LabelledBefore).ToList();
        var realised = Confusion(controlAwaiting);
        Assert.Equal(
            (double)realised.Tp / realised.Positives,
            estimated[0].GetProperty("metrics")[0].GetProperty("value").GetDouble(),
            0.08
        );
    }
}

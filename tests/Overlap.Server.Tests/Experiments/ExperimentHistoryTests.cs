using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Overlap.Core.Contracts;
using Overlap.Core.Experiments;
using Overlap.Core.Metrics;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Server.Tests.Experiments;

/// <summary>
/// GET /v1/experiments/{e}/history on a running server with a fake clock: one point per day since the experiment
/// started, each equal to the analysis of what was sent up to that moment (labels counting once a day old), the last
/// equal to GET /v1/experiments/{e}.
/// </summary>
public sealed class ExperimentHistoryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private RunningServer _server = null!;

    private static readonly string Yaml = ExperimentMail.Contract("spam-filter", "spam-v2", 0.05, labelDelay: "1d");

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(configure: o => o with { Time = _clock });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>
    /// 3,000 emails, one every 4 minutes from an hour after the start (to Nov 9), labelled two hours later; the control
    /// catches 80% of spam, the treatment 92%.
    /// </summary>
    private async Task<List<ExperimentMail.Email>> SendAsync()
    {
        var sent = ExperimentMail.Emails(
            "spam-v2",
            3_000,
            Start.AddHours(1),
            TimeSpan.FromMinutes(4),
            (0.80, 0.92),
            seed: 11
        );
        await ExperimentApi.SendAsync(_server, ExperimentMail.Ndjson("spam-filter", sent, TimeSpan.FromHours(2)));
        return sent;
    }

    /// <summary>An arm as of <paramref name="at"/>, from what was sent: its emails up to then, labelled when a day old.</summary>
    private static ArmSample Arm(List<ExperimentMail.Email> sent, string version, DateTimeOffset at)
    {
        var mine = sent.Where(s => s.Version == version && s.Time <= at).ToList();
        var labelled = default(Confusion);
        foreach (var s in mine.Where(s => s.Time < at.AddDays(-1)))
        {
            labelled += Confusion.One(s.Spam, s.Caught);
        }
        return new ArmSample
        {
            Version = version,
            Units = mine.Count,
            Labelled = labelled,
            LatencyMs = [.. mine.Select(s => s.LatencyMs)],
        };
    }

    private static void AssertFigure(ExperimentFigure expected, JsonElement actual)
    {
        Assert.Equal(expected.Metric.Name, actual.GetProperty("metric").GetString());
        var d = expected.Difference;
        AssertNumber(d.Control, actual, "control");
        AssertNumber(d.Treatment, actual, "treatment");
        AssertNumber(d.Estimate, actual, "difference");
        foreach (var (name, interval) in new[] { ("fixed_horizon", d.FixedHorizon), ("always_valid", d.AlwaysValid) })
        {
            if (interval.IsKnown)
            {
                Assert.Equal(interval.Low, actual.GetProperty(name)[0].GetDouble(), 12);
                Assert.Equal(interval.High, actual.GetProperty(name)[1].GetDouble(), 12);
            }
            else
            {
                Assert.False(actual.TryGetProperty(name, out _), $"{name} should be absent when unknown");
            }
        }
        Assert.Equal(
            ExperimentStatements.Change(expected, "always-valid"),
            actual.GetProperty("statement").GetString()
        );
    }

    private static void AssertNumber(double expected, JsonElement figure, string name)
    {
        if (double.IsFinite(expected))
        {
            Assert.Equal(expected, figure.GetProperty(name).GetDouble(), 12);
        }
        else
        {
            Assert.False(figure.TryGetProperty(name, out _), $"{name} should be absent when unknown");
        }
    }

    [Fact]
    public async Task History_IsTheAnalysisOfWhatWasSentUpToEachDay_AndEndsOnTodaysAnalysis()
    {
        await ExperimentApi.PutContractAsync(_server, "spam-filter", Yaml);
        var now = new DateTimeOffset(2026, 11, 11, 9, 0, 0, TimeSpan.Zero);
        _clock.SetUtcNow(now);
        var sent = await SendAsync();
        using var viewer = _server.Client(KeyRole.Viewer);

        var history = await ExperimentApi.Json(await viewer.GetAsync("/v1/experiments/spam-v2/history"));
        Assert.Equal("spam-filter", history.GetProperty("feature").GetString());
        Assert.Equal(Start, history.GetProperty("started").GetDateTimeOffset());
        var points = history.GetProperty("points").EnumerateArray().ToList();
        // Every 24 hours after the start up to now: Nov 2 … Nov 11, 09:00, the last one now.
        Assert.Equal(
            Enumerable.Range(1, 10).Select(d => Start.AddDays(d)),
            points.Select(p => p.GetProperty("at").GetDateTimeOffset())
        );
        var contract = ContractParser.Parse(Yaml);
        var spec = contract.Experiments[0];
        var decisions = new List<string>();
        foreach (var point in points)
        {
            var at = point.GetProperty("at").GetDateTimeOffset();
            var (control, treatment) = (Arm(sent, "nb@1", at), Arm(sent, "nb@2", at));
            var expected = ExperimentAnalysis.Analyze(contract, spec, control, treatment, at - Start);
            Assert.Equal(control.Units, point.GetProperty("control_units").GetInt64());
            Assert.Equal(treatment.Units, point.GetProperty("treatment_units").GetInt64());
            Assert.Equal((at - Start).TotalDays, point.GetProperty("elapsed_days").GetDouble(), 3);
            Assert.Equal(expected.Decision.ToString().ToLowerInvariant(), point.GetProperty("decision").GetString());
            decisions.Add(point.GetProperty("decision").GetString()!);
            AssertFigure(expected.Primary[0], point.GetProperty("primary")[0]);
            Assert.Equal(2, point.GetProperty("guardrails").GetArrayLength());
            AssertFigure(expected.Guardrails[0], point.GetProperty("guardrails")[0]);
            AssertFigure(expected.Guardrails[1], point.GetProperty("guardrails")[1]);
        }
        // The series tells a story: too little at first, a rollout by the end.
        Assert.Equal("running", decisions[0]);
        Assert.Equal("rollout", decisions[^1]);
        Assert.Equal(
            sent.Count,
            points[^1].GetProperty("control_units").GetInt64() + points[^1].GetProperty("treatment_units").GetInt64()
        );

        var analysis = await ExperimentApi.Json(await viewer.GetAsync("/v1/experiments/spam-v2"));
        Assert.Equal(analysis.GetProperty("primary").GetRawText(), points[^1].GetProperty("primary").GetRawText());
        Assert.Equal(
            analysis.GetProperty("guardrails").GetRawText(),
            points[^1].GetProperty("guardrails").GetRawText()
        );
        Assert.Equal(
            analysis.GetProperty("summary").GetProperty("decision").GetString(),
            points[^1].GetProperty("decision").GetString()
        );
    }

    [Fact]
    public async Task History_OfAnUnknownExperiment_Is404SayingWhatToDo_AndNeedsAReadKey()
    {
        using var viewer = _server.Client(KeyRole.Viewer);
        var unknown = await viewer.GetAsync("/v1/experiments/nope/history");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains(
            "no contract declares an experiment named 'nope'",
            await unknown.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
        using var ingest = _server.Client(KeyRole.Ingest);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync("/v1/experiments/nope/history")).StatusCode);
    }
}

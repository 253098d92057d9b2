using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Overlap.Core.Evaluation;
using Overlap.Core.Monitoring;
using Overlap.Server.Monitoring;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Server.Tests.Monitoring;

/// <summary>
/// A feature whose recall is perfect but whose false alarms are four times the contract's bar, with too few labels in
/// any one day for a window alone to alert: the windows, the alerts, the overview and the feature page all name the
/// false-positive rate, on the same days, and the page draws it.
/// </summary>
public sealed class WhyItMissesTests
{
    private const string Feature = "mail";

    /// <summary>The mail contract (shared with <see cref="MissingSegmentTests"/>).</summary>
    internal static readonly string Contract = FalseAlarmMail.Contract(Feature);

    /// <summary>
    /// 10 days from 10 March, 40 labelled emails a day: 20 spam all caught, 20 legitimate of which 4 are flagged
    /// (false-positive rate 0.2); half the emails come through the web channel, half say no channel.
    /// </summary>
    private static async Task<RunningServer> StartAsync()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 21, 12, 0, 0, TimeSpan.Zero));
        var server = await RunningServer.StartAsync(configure: o => o with { Time = clock });
        using var admin = server.Client(KeyRole.Admin);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(Contract))).StatusCode
        );
        var events = new StringBuilder();
        for (var day = 10; day < 20; day++)
        {
            for (var i = 0; i < 40; i++)
            {
                var spam = i < 20;
                var score =
                    spam ? 0.9
                    : i < 24 ? 0.7
                    : 0.2;
                var channel = i % 2 == 0 ? ",\"attributes\":{\"channel\":\"web\"}" : "";
                events
                    .Append(
                        $$"""{"type":"prediction","id":"p{{day}}-{{i}}","feature":"mail","time":"2026-03-{{day}}T10:00:00Z","score":{{score}}{{channel}}}"""
                    )
                    .Append('\n');
                events
                    .Append(
                        $$"""{"type":"outcome","id":"o{{day}}-{{i}}","feature":"mail","prediction_id":"p{{day}}-{{i}}","label":"{{(spam ? "spam" : "ham")}}","time":"2026-03-{{day}}T12:00:00Z"}"""
                    )
                    .Append('\n');
            }
        }
        Assert.Equal(
            HttpStatusCode.Accepted,
            (
                await admin.PostAsync(
                    "/v1/events",
                    new StringContent(events.ToString(), Encoding.UTF8, "application/x-ndjson")
                )
            ).StatusCode
        );
        await server.CountAsync(Feature);
        return server;
    }

    [Fact]
    public async Task FalseAlarmsAboveTheBar_AreNamedByTheWindowsTheAlertsAndThePage_OnTheSameDays()
    {
        await using var server = await StartAsync();
        using var admin = server.Client(KeyRole.Admin);

        // Each window says which requirement decided its "fail", beside its recall of 1.
        using var metrics = JsonDocument.Parse(
            await admin.GetStringAsync($"/v1/features/{Feature}/metrics?from=2026-03-10&to=2026-03-11")
        );
        var window = metrics.RootElement.GetProperty("windows")[0];
        Assert.Equal(
            1.0,
            window
                .GetProperty("evaluation")
                .GetProperty("metrics")
                .GetProperty("recall")
                .GetProperty("value")
                .GetDouble()
        );
        var w = Overlap.Core.Statistics.Wilson.Interval(4, 20, 0.95);
        Assert.Equal(
            FormattableString.Invariant(
                $"fail: false_positive_rate 0.2 ({w.Low:0.###} to {w.High:0.###}) above the bar 0.05"
            ),
            window.GetProperty("decided_by").GetString()
        );

        // No day has 200 labels, but the 30 days have 400: the alert judges those days, as the overview does, and fires.
        var evaluated = await admin.PostAsync($"/v1/features/{Feature}/alerts/evaluate?window=2026-03-19", null);
        Assert.Equal(HttpStatusCode.OK, evaluated.StatusCode);
        using var checks = JsonDocument.Parse(await evaluated.Content.ReadAsStringAsync());
        var states = checks
            .RootElement.GetProperty("checks")
            .EnumerateArray()
            .ToDictionary(c => c.GetProperty("check").GetString()!, c => c);
        Assert.Equal("ok", states["recall min 0.8"].GetProperty("state").GetString());
        var fpr = states["false_positive_rate max 0.05"];
        Assert.Equal("alert", fpr.GetProperty("state").GetString());
        Assert.Equal(
            ("2026-02-18T00:00:00+00:00", "2026-03-20T00:00:00+00:00"),
            (fpr.GetProperty("judged_from").GetString(), fpr.GetProperty("judged_to").GetString())
        );

        // The feature page draws the failing requirement: per window against its bar, and per segment with the "(missing)" group.
        using var scope = server.Services.CreateScope();
        var view = (await scope.ServiceProvider.GetRequiredService<FeaturePage>().LoadAsync(Feature))!;
        Assert.Equal(Verdict.Fail, view.Range.Evaluation!.Verdict);
        var requirement = Assert.Single(view.Requirements);
        Assert.Equal(
            ("false_positive_rate max 0.05", Verdict.Fail, 0.05),
            (requirement.Name, requirement.Result.Verdict, requirement.Bar)
        );
        Assert.Equal(10, requirement.Points.Count(p => p.Realised is not null));
        Assert.All(requirement.Points.Where(p => p.Realised is not null), p =>
            Assert.Equal(0.2, p.Realised!.Value, 12)
        );
        Assert.Equal(["channel = (missing)", "channel = web"], requirement.Segments!.Points.Select(p => p.Label));
        Assert.All(requirement.Segments.Points, p => Assert.Equal(0.05, p.Bar));
        var month = Overlap.Core.Statistics.Wilson.Interval(40, 200, 0.95);
        Assert.StartsWith(
            FormattableString.Invariant(
                $"Not met over the last 30 days: false_positive_rate 0.2 ({month.Low:0.###} to {month.High:0.###}) above the bar 0.05. The first chart follows false positive rate in each window"
            ),
            requirement.Statement,
            StringComparison.Ordinal
        );

        // The overview's open alerts are the page's failing requirements, by the same names.
        var alerts = await server.Store<IAlertStore>().GetAlertStatesAsync(Feature);
        Assert.Equal(
            view.Requirements.Select(r => r.Name),
            alerts.Where(a => a.State == AlertState.Alert).Select(a => a.Check)
        );
    }
}

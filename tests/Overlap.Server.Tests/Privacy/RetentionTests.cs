using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Overlap.Events;
using Overlap.Storage;

namespace Overlap.Server.Tests.Privacy;

/// <summary>
/// A contract's <c>privacy.retention</c> on a real server whose clock is faked: once the period has passed, the hourly
/// job clears the predictions' inputs and outputs, while scores, labels, segments and the window's figures stay.
/// </summary>
public sealed class RetentionTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Retention_ClearsRawInputsAndOutputs_WhileTheWindowsFiguresStay()
    {
        var clock = new FakeTimeProvider(Day.AddHours(4).AddMinutes(30));
        await using var server = await RunningServer.StartAsync(configure: o => o with { Time = clock });
        using var admin = server.Client(KeyRole.Admin);
        foreach (
            var (feature, yaml) in new[]
            {
                ("spam-filter", PrivacyAtTheDoorTests.SpamContract + "\n  retention: 2d\n"),
                ("helpdesk", PrivacyAtTheDoorTests.HelpdeskContract),
            }
        )
        {
            using var put = await admin.PutAsync($"/v1/features/{feature}/contract", new StringContent(yaml));
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        await PrivacyAtTheDoorTests.SendAsync(server, PrivacyAtTheDoorTests.Events(Day));
        await server.CountAsync("spam-filter");
        using var viewer = server.Client(KeyRole.Viewer);
        async Task<string> WindowAsync()
        {
            using var json = JsonDocument.Parse(
                await viewer.GetStringAsync("/v1/features/spam-filter/metrics?from=2026-11-23&to=2026-11-24")
            );
            return json.RootElement.GetProperty("windows")[0].GetRawText();
        }
        async Task<List<PredictionEvent>> StoredAsync(string feature) =>
            [
                .. (await server.Store<IEventReader>().ReadEventsAsync(feature, Day, Day.AddDays(1)))
                    .OfType<PredictionEvent>()
                    .OrderBy(p => p.Id, StringComparer.Ordinal),
            ];
        var kept = await StoredAsync("spam-filter");
        Assert.All(kept, p => Assert.NotNull(p.InputsJson));

        // A day later (the events under two days old): nothing is cleared yet.
        for (var i = 0; i < 24; i++)
        {
            clock.Advance(TimeSpan.FromHours(1));
            await Task.Delay(5);
        }
        Assert.Equal(kept, await StoredAsync("spam-filter"));
        // The day's window has closed: its figures are computed and stored.
        var before = await WindowAsync();

        // Past two days, the next hourly run clears the inputs; the rest of each prediction stays.
        var waited = Stopwatch.StartNew();
        while ((await StoredAsync("spam-filter")).Any(p => p.InputsJson is not null))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "retention never cleared the inputs");
            clock.Advance(TimeSpan.FromHours(1));
            await Task.Delay(20);
        }
        Assert.Equal(kept.Select(p => p with { InputsJson = null, Output = null }), await StoredAsync("spam-filter"));
        Assert.Equal(new EventCounts(3, 1, 0, 0, 1), await server.CountAsync("spam-filter"));
        // The window's figures are those computed before the clearing.
        Assert.Equal(before, await WindowAsync());
        // A feature without retention keeps its inputs.
        Assert.NotNull(Assert.Single(await StoredAsync("helpdesk")).InputsJson);
        // Each clearing is in the audit log as the server's own deletion. The job runs once an hour of the clock, and
        // the test moves the clock faster than the job may run, so one run may clear what two hours made due: the entries
        // are one or more, and what they cleared adds up to the three predictions. An entry is written just after the
        // clearing it records, so the test waits for the entries as it waited for the clearing.
        static int Cleared(AuditEntry e) =>
            System.Text.RegularExpressions.Regex.Match(
                e.Detail ?? "",
                "^cleared ([0-9]+) (?:prediction or review item|predictions and review items) from before 2026-11-23 [0-9]{2}:30 UTC \\(2 days\\)$"
            )
                is { Success: true } m
                ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
                : 0;
        IReadOnlyList<AuditEntry> deletions;
        waited.Restart();
        while (
            (
                deletions = await server
                    .Store<IAuditStore>()
                    .ReadAuditAsync(new AuditQuery { Action = AuditActions.Delete })
            ).Sum(Cleared) < 3
        )
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "the clearing was never audited in full");
            await Task.Delay(20);
        }
        Assert.All(deletions, e =>
            Assert.Equal(
                ("overlap", "system", "inputs and outputs of spam-filter older than its retention", "spam-filter"),
                (e.Actor, e.Role, e.Target, e.Feature)
            )
        );
        Assert.All(deletions, e =>
            Assert.True(Cleared(e) > 0, $"an audit entry that does not say what it cleared: {e.Detail}")
        );
        Assert.Equal(3, deletions.Sum(Cleared));
    }
}

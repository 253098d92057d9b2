using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Overlap.Storage;

namespace Overlap.Server.Tests.Monitoring;

/// <summary>
/// GET /v1/features/{f}/usage on a real server: the pandas fixture's events (Overlap.Core.Tests'
/// Fixtures/usage/make_usage_fixtures.py) sent as an application sends them, with the user as an attribute, and read
/// back as the same weekly figures, activation and cohorts; bad parameters get a 400 that says what to send.
/// </summary>
public sealed class UsageEndpointTests
{
    private static readonly JsonElement Fixture = JsonDocument
        .Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "usage", "usage.json")))
        .RootElement;

    private const string Contract = """
        feature: payments
        task: binary
        labels: { positive: fraud, negative: legit }
        columns: { id: id, label: label, score: score }
        threshold: 0.5
        costs: { false_positive: 4, false_negative: 25, currency: USD }
        words: { positive: fraudulent payment, negative: legitimate payment, action: held for review, example: payment }
        usage: { user: user_id }
        requirements:
          - { metric: recall, min: 0.5 }
          - { metric: retention_rate, min: 0.5 }
        """;

    private static IEnumerable<string> Lines()
    {
        var events = Fixture.GetProperty("events");
        var times = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var p in events.GetProperty("predictions").EnumerateArray())
        {
            var id = p.GetProperty("id").GetString()!;
            var time = DateTimeOffset.Parse(p.GetProperty("time").GetString()!, CultureInfo.InvariantCulture);
            times[id] = time;
            var user = p.GetProperty("user");
            var attributes =
                user.ValueKind == JsonValueKind.Null ? "" : $$""","attributes":{"user_id":"{{user.GetString()}}"}""";
            yield return string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"type":"prediction","id":"{{id}}","feature":"payments","time":"{{time:yyyy-MM-ddTHH:mm:ssZ}}","score":{{p.GetProperty("score").GetDouble()}},"model_version":"{{p.GetProperty("version").GetString()}}"{{attributes}}}"""
            );
            if (p.GetProperty("label").GetString() is { } label)
            {
                yield return $$"""{"type":"outcome","id":"o-{{id}}","prediction_id":"{{id}}","label":"{{label}}","time":"{{time.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}}"}""";
            }
        }
        var n = 0;
        foreach (var f in events.GetProperty("feedback").EnumerateArray())
        {
            var id = f.GetProperty("prediction").GetString()!;
            yield return $$"""{"type":"feedback","id":"f{{n++}}","prediction_id":"{{id}}","kind":"{{f.GetProperty("kind").GetString()}}","time":"{{times[id].AddMinutes(5):yyyy-MM-ddTHH:mm:ssZ}}"}""";
        }
        foreach (var b in events.GetProperty("business").EnumerateArray())
        {
            var id = b.GetProperty("prediction").GetString()!;
            yield return string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"type":"business","id":"b{{n++}}","prediction_id":"{{id}}","name":"{{b.GetProperty("name").GetString()}}","value":{{b.GetProperty("value").GetDouble()}},"time":"{{times[id].AddDays(2):yyyy-MM-ddTHH:mm:ssZ}}"}"""
            );
        }
    }

    [Fact]
    public async Task Usage_FromTheEventsSent_IsWhatPandasComputes_AndBadParametersGet400()
    {
        var now = DateTimeOffset.Parse(Fixture.GetProperty("now").GetString()!, CultureInfo.InvariantCulture);
        await using var server = await RunningServer.StartAsync(configure: o =>
            o with
            {
                Time = new FakeTimeProvider(now),
            }
        );
        using var admin = server.Client(KeyRole.Admin);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync("/v1/features/payments/contract", new StringContent(Contract))).StatusCode
        );
        var body = string.Join('\n', Lines());
        var sent = await admin.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        using var viewer = server.Client(KeyRole.Viewer);
        using var json = JsonDocument.Parse(
            await viewer.GetStringAsync("/v1/features/payments/usage?from=2026-01-05&to=2026-03-02")
        );
        var report = json.RootElement;
        Assert.Equal("week", report.GetProperty("period").GetString());
        var weeks = Fixture.GetProperty("periods").EnumerateArray().ToList();
        var periods = report.GetProperty("periods").EnumerateArray().ToList();
        Assert.Equal(weeks.Count, periods.Count);
        for (var i = 0; i < weeks.Count; i++)
        {
            foreach (var count in (string[])["predictions", "users", "new_users"])
            {
                Assert.Equal(weeks[i].GetProperty(count).GetInt64(), periods[i].GetProperty(count).GetInt64());
            }
            var thumbs = periods[i].GetProperty("feedback").GetProperty("thumbs_down");
            Assert.Equal(
                weeks[i].GetProperty("feedback").GetProperty("thumbs_down").GetProperty("low").GetDouble(),
                thumbs.GetProperty("low").GetDouble(),
                9
            );
            var purchase = periods[i].GetProperty("business").GetProperty("purchase");
            var expected = weeks[i].GetProperty("business").GetProperty("purchase");
            Assert.Equal(
                expected.GetProperty("conversion").GetProperty("k").GetInt64(),
                purchase.GetProperty("conversion").GetProperty("count").GetInt64()
            );
            Assert.Equal(
                expected.GetProperty("value").GetProperty("value").GetDouble(),
                purchase.GetProperty("value").GetProperty("value").GetDouble(),
                9
            );
            Assert.Equal(
                weeks[i].GetProperty("cost").GetDouble(),
                periods[i].GetProperty("errors").GetProperty("cost").GetDouble()
            );
        }
        var users = report.GetProperty("users");
        Assert.Equal(Fixture.GetProperty("users").GetInt64(), users.GetProperty("users").GetInt64());
        Assert.Equal(
            Fixture.GetProperty("activation").GetProperty("k").GetInt64(),
            users.GetProperty("activation").GetProperty("count").GetInt64()
        );
        Assert.Equal(
            Fixture.GetProperty("retention_week1").GetProperty("high").GetDouble(),
            users.GetProperty("retention").GetProperty("high").GetDouble(),
            9
        );
        // Only the user metric is judged here; recall is judged per window.
        var requirement = Assert.Single(report.GetProperty("requirements").EnumerateArray());
        Assert.Equal("retention_rate", requirement.GetProperty("metric").GetString());
        Assert.Equal("fail", requirement.GetProperty("verdict").GetString());
        Assert.Contains(report.GetProperty("statements").EnumerateArray(), s =>
            s.GetString()!.StartsWith("Over the range, ", StringComparison.Ordinal)
        );

        foreach (
            var (query, says) in new[]
            {
                ("period=month", "use week or day"),
                ("from=2026-03-01&to=2026-02-01", "from must be before to"),
                ("from=2024-01-01&to=2026-03-01", "at most 371 days"),
                ("from=yesterday", "ISO 8601"),
            }
        )
        {
            var answer = await viewer.GetAsync($"/v1/features/payments/usage?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Contains(says, await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/v1/features/nobody/usage")).StatusCode);
    }
}

using System.Net;
using System.Text;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>CSV exports neutralise cells a spreadsheet would run as formulas (OWASP's CSV injection advice); numbers stay numbers.</summary>
public sealed class ExportInjectionTests
{
    [Fact]
    public async Task ExportCsv_FormulaCells_GetALeadingQuoteAndAreQuoted()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(KeyRole.Admin);
        var put = await admin.PutAsync(
            "/v1/features/payments-fraud/contract",
            new StringContent(
                File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"))
            )
        );
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        string[] channels =
        [
            "=HYPERLINK(\"http://example.invalid\",\"x\")",
            "+1+2",
            "-2+3",
            "@SUM(A1)",
            "\tcmd",
            "\rcmd",
            "web",
        ];
        var events = new StringBuilder();
        for (var i = 0; i < channels.Length; i++)
        {
            var channel = System.Text.Json.JsonSerializer.Serialize(channels[i]);
            events
                .Append(
                    $$$"""{"type":"prediction","id":"p{{{i}}}","feature":"payments-fraud","time":"2026-03-01T00:00:0{{{i}}}Z","score":0.5,"latency_ms":{{{i}}}.5,"attributes":{"channel":{{{channel}}},"region":"eu"},"inputs":{"amount":-12.5}}"""
                )
                .Append('\n');
        }
        var posted = await admin.PostAsync(
            "/v1/events",
            new StringContent(events.ToString(), Encoding.UTF8, "application/x-ndjson")
        );
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        var csv = await admin.GetStringAsync("/v1/features/payments-fraud/export?format=csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] neutralised =
        [
            "\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\"",
            ",\"'+1+2\",",
            ",\"'-2+3\",",
            ",\"'@SUM(A1)\",",
            ",\"'\tcmd\",",
            ",\"'\rcmd\",",
            ",web,",
        ];
        foreach (var cell in neutralised)
        {
            Assert.Contains(cell, csv, StringComparison.Ordinal);
        }
        // A negative number is a number, not a formula: the amount is written as it is.
        Assert.Contains(",-12.5", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("'-12.5", csv, StringComparison.Ordinal);
        Assert.True(lines.Length >= channels.Length + 1, csv);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>
/// Every endpoint in the OpenAPI document, sent malformed values for each of its query and path parameters (for routes
/// with a feature, both one that exists and one that does not): nothing a client sends is answered 5xx.
/// </summary>
public sealed class MalformedParameterTests
{
    private const string Feature = "payments-fraud";

    /// <summary>Values of every kind a careless client or an attacker sends: wrong types, huge and negative numbers, the calendar's ends, odd bytes.</summary>
    private static readonly string[] Malformed =
    [
        "abc",
        "",
        " ",
        "-1",
        "0",
        "-0",
        "2147483648",
        "-2147483649",
        "99999999999999999999",
        "1e309",
        "NaN",
        "Infinity",
        "0.5",
        "true",
        "null",
        "0001-01-01",
        "9999-12-31",
        "9999-12-31T23:59:59.9999999Z",
        "0001-01-01T00:00:00+14:00",
        "2026-13-45",
        "1970-01-01",
        "2999-12-31",
        "%00",
        "a%00b",
        "%FF%FE",
        "%ED%A0%80",
        "%2F",
        "..",
        "<a href=x>",
        "'; drop table events; --",
        new string('9', 1500),
    ];

    [Fact]
    public async Task EveryEndpoint_MalformedQueryAndPathValues_NeverAnswer5xx()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(KeyRole.Admin);
        var put = await admin.PutAsync(
            $"/v1/features/{Feature}/contract",
            new StringContent(
                File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"))
            )
        );
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var document = JsonDocument.Parse(await admin.GetStringAsync("/openapi/v1.json"));
        var failures = new List<string>();
        var requests = 0;
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                var parameters = operation.Value.TryGetProperty("parameters", out var p)
                    ? p.EnumerateArray()
                        .Select(x => (Name: x.GetProperty("name").GetString()!, In: x.GetProperty("in").GetString()!))
                        .Where(x => x.In is "query" or "path")
                        .ToList()
                    : [];
                foreach (
                    var feature in path.Name.Contains("{feature}", StringComparison.Ordinal)
                        ? new[] { Feature, "no-such-feature" }
                        : [Feature]
                )
                {
                    var cases = new List<(string Name, string Value)?> { null };
                    cases.AddRange(parameters.SelectMany(x => Malformed.Select(v => ((string, string)?)(x.Name, v))));
                    foreach (var bad in cases)
                    {
                        var uri = Uri(path.Name, parameters, feature, bad);
                        using var request = new HttpRequestMessage(method, uri);
                        if (method != HttpMethod.Get)
                        {
                            request.Content = new StringContent("", Encoding.UTF8, "application/json");
                        }
                        using var response = await admin.SendAsync(request);
                        requests++;
                        if ((int)response.StatusCode >= 500)
                        {
                            failures.Add($"{method} {uri} → {(int)response.StatusCode}");
                        }
                        else if (
                            bad is { } b
                            && response.StatusCode == HttpStatusCode.BadRequest
                            && response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                        )
                        {
                            // A refusal says what is wrong: a detail, not an empty answer.
                            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                            if (
                                !problem.RootElement.TryGetProperty("detail", out var detail)
                                || string.IsNullOrWhiteSpace(detail.GetString())
                            )
                            {
                                failures.Add($"{method} {uri} → 400 without a detail");
                            }
                        }
                    }
                }
            }
        }
        Assert.True(requests > 500, $"only {requests} requests were sent; is the OpenAPI document complete?");
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} of {requests} requests failed:\n{string.Join('\n', failures.OrderBy(f => f.Contains("→ 5", StringComparison.Ordinal) ? 0 : 1).Take(60))}"
        );
    }

    [Theory]
    [InlineData("/v1/features/payments-fraud/metrics?resamples=abc", "resamples")]
    [InlineData("/v1/features/payments-fraud/metrics?resamples=99999999999", "resamples")]
    [InlineData("/v1/features/payments-fraud/metrics?from=abc", "from")]
    [InlineData("/v1/features/payments-fraud/summary?to=0001-01-01", "from and to")]
    [InlineData("/v1/features/payments-fraud/summary?from=1900-01-01&to=2999-01-01", "at most")]
    [InlineData("/v1/features/payments-fraud/export?labelled=maybe", "labelled")]
    [InlineData("/v1/features/payments-fraud/evaluations/compare?a=x&b=1", "a is 'x'")]
    [InlineData("/v1/features/payments-fraud/review?limit=-5", "limit")]
    public async Task MalformedQuery_Answers400NamingTheParameter(string uri, string named)
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(KeyRole.Admin);
        await admin.PutAsync(
            $"/v1/features/{Feature}/contract",
            new StringContent(
                File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"))
            )
        );
        var response = await admin.GetAsync(uri);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(named, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAlerts_WindowAtTheEndOfTheCalendar_Answers400()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(KeyRole.Admin);
        await admin.PutAsync(
            $"/v1/features/{Feature}/contract",
            new StringContent(
                File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"))
            )
        );
        var response = await admin.PostAsync($"/v1/features/{Feature}/alerts/evaluate?window=9999-12-31", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("window must be", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The operation's address with valid path values, and <paramref name="bad"/> in its parameter.</summary>
    private static string Uri(
        string template,
        List<(string Name, string In)> parameters,
        string feature,
        (string Name, string Value)? bad
    )
    {
        var uri = template;
        foreach (var (name, where) in parameters.Where(x => x.In == "path"))
        {
            var value =
                bad is { } b && b.Name == name ? b.Value
                : name == "feature" ? feature
                : "1";
            uri = uri.Replace(
                "{" + name + "}",
                value.Length == 0 ? "%20"
                    : value.Contains('%', StringComparison.Ordinal) ? value
                    : System.Uri.EscapeDataString(value),
                StringComparison.Ordinal
            );
        }
        if (bad is { } q && parameters.Any(x => x.Name == q.Name && x.In == "query"))
        {
            uri +=
                $"?{q.Name}={(q.Value.Contains('%', StringComparison.Ordinal) ? q.Value : System.Uri.EscapeDataString(q.Value))}";
        }
        return uri;
    }
}

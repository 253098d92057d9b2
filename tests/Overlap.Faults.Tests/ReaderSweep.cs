using System.Net;
using System.Text.Json;
using Overlap.Server.Tests.Dashboard;

namespace Overlap.Faults.Tests;

/// <summary>
/// Visits every reader a person or a program has: each GET in the server's OpenAPI document (every path parameter
/// filled for each feature) and every dashboard page, signed in with an admin key. None may answer 5xx.
/// </summary>
internal static class ReaderSweep
{
    /// <summary>Pages per feature, as the dashboard links them.</summary>
    private static readonly string[] FeaturePages =
    [
        "/features/{0}",
        "/features/{0}/contract",
        "/features/{0}/alerts",
        "/features/{0}/evaluations",
        "/features/{0}/review",
        "/experiments/{0}-trial",
    ];

    public static async Task AssertEveryReaderAnswersAsync(Uri address, string adminKey, IReadOnlyList<string> features)
    {
        using var admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer",
            adminKey
        );
        var failures = new List<string>();
        foreach (var path in await GetPathsAsync(admin, features))
        {
            var response = await admin.GetAsync(path);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add(
                    $"GET {path} answered {(int)response.StatusCode}: {Cut(await response.Content.ReadAsStringAsync())}"
                );
            }
        }
        using var browser = new Browser(address);
        var signIn = await browser.SubmitAsync(
            "/signin",
            "key-form",
            new Dictionary<string, string> { ["Form.Key"] = adminKey }
        );
        Assert.True(
            signIn.StatusCode is HttpStatusCode.Found or HttpStatusCode.SeeOther,
            $"signing in answered {(int)signIn.StatusCode}"
        );
        foreach (
            var page in features
                .SelectMany(f =>
                    FeaturePages.Select(p => string.Format(System.Globalization.CultureInfo.InvariantCulture, p, f))
                )
                .Prepend("/experiments")
                .Prepend("/")
                // Last, so it shows the entries the sweep itself left: hostile feature names and paths among them.
                .Append("/admin/audit")
        )
        {
            var (status, html) = await browser.PageAsync(page);
            if (status != HttpStatusCode.OK)
            {
                failures.Add($"page {page} answered {(int)status}: {Cut(html)}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>Each GET path of the OpenAPI document with its path parameters filled in, once per feature.</summary>
    private static async Task<List<string>> GetPathsAsync(HttpClient admin, IReadOnlyList<string> features)
    {
        using var document = JsonDocument.Parse(await admin.GetStringAsync("/openapi/v1.json"));
        var paths = new List<string>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            if (!path.Value.TryGetProperty("get", out _))
            {
                continue;
            }
            foreach (var feature in features)
            {
                var filled = path
                    .Name.Replace("{feature}", feature, StringComparison.Ordinal)
                    .Replace("{name}", feature, StringComparison.Ordinal)
                    .Replace("{experiment}", feature + "-trial", StringComparison.Ordinal);
                // Any other parameter (an id, a run) gets a plausible value; a 404 is an answer, a 5xx is not.
                filled = System.Text.RegularExpressions.Regex.Replace(filled, "\\{[^}]+\\}", "1");
                paths.Add(filled);
            }
        }
        Assert.True(paths.Count > 10, $"the OpenAPI document lists only {paths.Count} readable paths");
        return [.. paths.Distinct()];
    }

    private static string Cut(string text) => text.Length <= 400 ? text : text[..400] + "…";
}

using System.Text.Json;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>The OpenAPI document a real server serves describes the main payloads, not only their paths.</summary>
public sealed class OpenApiTests
{
    [Theory]
    [InlineData("/v1/features/{feature}/metrics", "get", "200", "feature", "contract_version", "window", "windows")]
    [InlineData("/v1/subjects/{id}", "delete", "200", "subject", "erased", "predictions", "by", "statement")]
    [InlineData("/v1/subjects/{id}", "get", "200", "subject", "outcomes", "review_items", "items")]
    [InlineData(
        "/v1/features/{feature}/summary",
        "get",
        "200",
        "feature",
        "contract_version",
        "from",
        "to",
        "evaluation"
    )]
    [InlineData(
        "/v1/features/{feature}/review",
        "get",
        "200",
        "feature",
        "routed",
        "counts",
        "decided_per_day",
        "agreement",
        "items"
    )]
    [InlineData(
        "/v1/features/{feature}/evaluations",
        "get",
        "200",
        "id",
        "feature",
        "contract_version",
        "name",
        "verdict"
    )]
    [InlineData(
        "/v1/features/{feature}/evaluations/{id}",
        "get",
        "200",
        "feature",
        "metrics",
        "requirements",
        "verdict"
    )]
    [InlineData(
        "/v1/features/{feature}/evaluations/compare",
        "get",
        "200",
        "a",
        "b",
        "confidence",
        "metrics",
        "requirements"
    )]
    [InlineData("/v1/features/{feature}/alerts", "get", "200", "feature", "states", "history")]
    [InlineData(
        "/v1/features/{feature}/alerts/evaluate",
        "post",
        "200",
        "feature",
        "window_start",
        "checks",
        "changes"
    )]
    public async Task OpenApiDocument_MainPayload_HasItsSchemaWithItsKeyProperties(
        string path,
        string method,
        string status,
        params string[] properties
    )
    {
        await using var server = await RunningServer.StartAsync();
        using var viewer = server.Client(KeyRole.Viewer);
        using var document = JsonDocument.Parse(await viewer.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;

        Assert.True(
            root.GetProperty("paths").TryGetProperty(path, out var operations),
            $"the document has no path {path}"
        );
        var schema = operations
            .GetProperty(method)
            .GetProperty("responses")
            .GetProperty(status)
            .GetProperty("content")
            .GetProperty("application/json")
            .GetProperty("schema");
        var resolved = Resolve(root, schema);
        var described = resolved.TryGetProperty("items", out var items) ? Resolve(root, items) : resolved;
        Assert.True(
            described.TryGetProperty("properties", out var shape),
            $"the 200 answer of {method.ToUpperInvariant()} {path} has no schema with properties: {schema}"
        );
        foreach (var property in properties)
        {
            Assert.True(
                shape.TryGetProperty(property, out _),
                $"the schema of {method.ToUpperInvariant()} {path} lacks '{property}': {string.Join(", ", shape.EnumerateObject().Select(p => p.Name))}"
            );
        }
    }

    [Fact]
    public async Task OpenApiDocument_WindowAndDriftPayloads_AreDescribed()
    {
        await using var server = await RunningServer.StartAsync();
        using var viewer = server.Client(KeyRole.Viewer);
        using var document = JsonDocument.Parse(await viewer.GetStringAsync("/openapi/v1.json"));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var window = schemas.GetProperty("WindowReport").GetProperty("properties");
        foreach (var property in new[] { "start", "end", "predictions", "labelled", "evaluation", "drift" })
        {
            Assert.True(window.TryGetProperty(property, out _), $"WindowReport lacks '{property}'");
        }
        Assert.True(
            schemas.TryGetProperty("ReviewItemView", out var item)
                && item.GetProperty("properties").TryGetProperty("prediction_id", out _),
            "review items are not described"
        );
    }

    /// <summary>The schema a <c>$ref</c> names, or the schema itself.</summary>
    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }
        var name = reference.GetString()!.Split('/')[^1];
        return root.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }
}

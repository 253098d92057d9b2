using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Overlap.Events;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>
/// Every event is checked at the door against its feature's contract, one by one: a bad one is refused with its index and
/// reason, the good ones in its batch are kept, and nothing one event holds turns the batch into a 5xx. Ids are per feature.
/// </summary>
public sealed class EventValidationTests : IAsyncLifetime
{
    private const string Feature = "payments-fraud";
    private const string Other = "card-fraud";
    private static readonly DateTimeOffset Day = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        using var admin = _server.Client(KeyRole.Admin);
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"));
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(text))).StatusCode
        );
        var other = text.Replace($"feature: {Feature}", $"feature: {Other}", StringComparison.Ordinal);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Other}/contract", new StringContent(other))).StatusCode
        );
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Prediction(string id, string feature = Feature, string score = "0.5", string extra = "") =>
        $$$"""{"type":"prediction","id":{{{JsonSerializer.Serialize(id)}}},"feature":"{{{feature}}}","time":"2026-11-23T10:00:00Z","score":{{{score}}}{{{extra}}}}""";

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(
        byte[] body,
        string contentType = "application/x-ndjson"
    )
    {
        using var ingest = _server.Client(KeyRole.Ingest);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var response = await ingest.PostAsync("/v1/events", content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(params string[] lines) =>
        PostAsync(Encoding.UTF8.GetBytes(string.Join('\n', lines)));

    private static string Joined<T>(IEnumerable<T> values) =>
        string.Join(
            ",",
            values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "null")
        );

    private static int[] Rejected(JsonElement body) =>
        [.. body.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("index").GetInt32())];

    private static string Reason(JsonElement body, int n) =>
        body.GetProperty("rejected")[n].GetProperty("error").GetString()!;

    private async Task<ProductionRows> RowsAsync(string feature = Feature)
    {
        await _server.CountAsync(feature);
        return await _server.Store<IEventReader>().ReadPredictionsAsync(feature, Day, Day.AddDays(7), []);
    }

    [Fact]
    public async Task Ingest_SameIdForTwoFeatures_KeepsBoth()
    {
        var (status, _) = await PostAsync(
            Prediction("p1"),
            Prediction("p1", Other, "0.9"),
            """{"type":"outcome","id":"o1","feature":"payments-fraud","prediction_id":"p1","label":"legit","time":"2026-11-24T10:00:00Z"}""",
            """{"type":"outcome","id":"o1","feature":"card-fraud","prediction_id":"p1","label":"fraud","time":"2026-11-24T10:00:00Z"}"""
        );
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(new EventCounts(1, 1, 0, 0, 1), await _server.CountAsync(Feature));
        Assert.Equal(new EventCounts(1, 1, 0, 0, 1), await _server.CountAsync(Other));
        Assert.Equal("legit", Joined((await RowsAsync(Feature)).Labels));
        Assert.Equal("fraud", Joined((await RowsAsync(Other)).Labels));
        Assert.Equal("0.9", Joined((await RowsAsync(Other)).Scores));
    }

    [Fact]
    public async Task Ingest_IdsWithANul_AreRefusedAndNotCollapsed()
    {
        var (status, body) = await PostAsync(Prediction("a\0x"), Prediction("a\0y"), Prediction("a"));
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal([0, 1], Rejected(body));
        Assert.Contains("NUL", Reason(body, 0), StringComparison.Ordinal);
        Assert.Equal("a", Joined((await RowsAsync()).Ids));
    }

    [Fact]
    public async Task Ingest_LoneSurrogateInAnAttribute_RefusesOnlyThatEvent()
    {
        var (status, body) = await PostAsync(
            Prediction("s1"),
            Prediction("s2", extra: ""","attributes":{"channel":"x\ud800"}"""),
            Prediction("s3", extra: ""","inputs":{"deep":[{"k\udc00":1}]}"""),
            Prediction("s4")
        );
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        Assert.Equal([1, 2], Rejected(body));
        Assert.Contains("surrogate", Reason(body, 0), StringComparison.Ordinal);
        Assert.Contains("attributes", Reason(body, 0), StringComparison.Ordinal);
        Assert.Equal("s1,s4", Joined((await RowsAsync()).Ids));
    }

    [Fact]
    public async Task Ingest_InvalidUtf8InOneNdjsonLine_RefusesOnlyThatLine()
    {
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes(Prediction("u1") + "\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes(Prediction("u2", extra: ",\"attributes\":{\"channel\":\"ab")));
        bytes.AddRange([0xFF, 0xC3]);
        bytes.AddRange(Encoding.UTF8.GetBytes("\"}}\n" + Prediction("u3")));
        var (status, body) = await PostAsync([.. bytes]);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal([1], Rejected(body));
        Assert.Contains("UTF-8", Reason(body, 0), StringComparison.Ordinal);
        Assert.Equal("u1,u3", Joined((await RowsAsync()).Ids));
    }

    [Fact]
    public async Task Ingest_InvalidUtf8InAJsonArray_IsA400WithThePosition()
    {
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes("[" + Prediction("v1", extra: ",\"attributes\":{\"channel\":\"ab")));
        bytes.Add(0xFF);
        bytes.AddRange(Encoding.UTF8.GetBytes("\"}}]"));
        var (status, body) = await PostAsync([.. bytes], "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("UTF-8", body.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Contains("line 1", body.GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_ValuesTheContractDoesNotName_AreRefusedWithTheAllowedOnes()
    {
        var (status, body) = await PostAsync(
            Prediction("c1", score: "7"),
            Prediction("c2", extra: ",\"prediction\":\"maybe\""),
            Prediction("c3"),
            """{"type":"outcome","id":"o1","prediction_id":"c3","label":"banana","time":"2026-11-24T10:00:00Z"}""",
            """{"type":"outcome","id":"o2","prediction_id":"c3","label":"legit","time":"2026-11-24T10:00:00Z"}"""
        );
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal([0, 1, 3], Rejected(body));
        Assert.Contains("between 0 and 1", Reason(body, 0), StringComparison.Ordinal);
        Assert.Contains("fraud, legit", Reason(body, 1), StringComparison.Ordinal);
        Assert.Contains("'banana'", Reason(body, 2), StringComparison.Ordinal);
        Assert.Contains("fraud, legit", Reason(body, 2), StringComparison.Ordinal);
        var rows = await RowsAsync();
        Assert.Equal("c3", Joined(rows.Ids));
        Assert.Equal("legit", Joined(rows.Labels));
    }

    [Theory]
    [InlineData("1", "fraud")]
    [InlineData("0", "legit")]
    [InlineData("true", "fraud")]
    [InlineData("false", "legit")]
    [InlineData("\"1\"", "fraud")]
    [InlineData("\"legit\"", "legit")]
    public async Task Ingest_BinaryPredictionAndLabelAsOneOrZero_AreStoredAsTheContractsLabels(
        string sent,
        string stored
    )
    {
        var (status, body) = await PostAsync(
            Prediction("b1", extra: $",\"prediction\":{sent}"),
            $$"""{"type":"outcome","id":"o1","prediction_id":"b1","label":{{sent}},"time":"2026-11-24T10:00:00Z"}"""
        );
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        var rows = await RowsAsync();
        Assert.Equal(stored, Joined(rows.Predictions));
        Assert.Equal(stored, Joined(rows.Labels));
    }

    [Fact]
    public async Task Ingest_OutcomeWithoutAFeature_ForAnIdInTwoFeatures_IsRefusedAskingForTheFeature()
    {
        await PostAsync(Prediction("twice"), Prediction("twice", Other));
        var (status, body) = await PostAsync(
            """{"type":"outcome","id":"o1","prediction_id":"twice","label":"fraud","time":"2026-11-24T10:00:00Z"}"""
        );
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'feature'", Reason(body, 0), StringComparison.Ordinal);
        Assert.Contains("card-fraud", Reason(body, 0), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_OutcomeWithoutAFeature_FindsItThroughItsPrediction()
    {
        await PostAsync(Prediction("once", Other));
        var (status, _) = await PostAsync(
            """{"type":"outcome","id":"o1","prediction_id":"once","label":1,"time":"2026-11-24T10:00:00Z"}"""
        );
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("fraud", Joined((await RowsAsync(Other)).Labels));
    }

    private async Task<(HttpStatusCode Status, string Body)> DecideAsync(string feature, string id, string decision)
    {
        using var reviewer = _server.Client(KeyRole.Reviewer);
        await reviewer.GetStringAsync($"/v1/features/{feature}/review");
        var claim = await reviewer.PostAsync($"/v1/features/{feature}/review/{Uri.EscapeDataString(id)}/claim", null);
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        var response = await reviewer.PostAsync(
            $"/v1/features/{feature}/review/{Uri.EscapeDataString(id)}/decision",
            new StringContent(decision, Encoding.UTF8, "application/json")
        );
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Review_ApproveOnAPredictionSentAsOne_WritesThePositiveLabel()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Prediction("r1", extra: ",\"prediction\":1"))).Status);
        var (status, body) = await DecideAsync(Feature, "r1", """{"decision":"approve"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("fraud", JsonDocument.Parse(body).RootElement.GetProperty("label").GetString());
        Assert.Equal("fraud", Joined((await RowsAsync()).Labels));
    }

    [Fact]
    public async Task Review_ApproveOnAStoredOne_WritesThePositiveLabel_AndAnUnnamedOneIsA400()
    {
        // Rows written straight into the store, as an older server or another writer may have left them.
        await _server
            .Store<IEventSink>()
            .AppendAsync(
                [
                    new PredictionEvent
                    {
                        Id = "old1",
                        Feature = Feature,
                        Time = Day.AddHours(10),
                        Score = 0.5,
                        Prediction = "1",
                    },
                    new PredictionEvent
                    {
                        Id = "odd1",
                        Feature = Feature,
                        Time = Day.AddHours(10),
                        Score = 0.5,
                        Prediction = "banana",
                    },
                ],
                Day.AddHours(10)
            );
        var (status, body) = await DecideAsync(Feature, "old1", """{"decision":"approve"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("fraud", JsonDocument.Parse(body).RootElement.GetProperty("label").GetString());

        var (odd, problem) = await DecideAsync(Feature, "odd1", """{"decision":"approve"}""");
        Assert.Equal(HttpStatusCode.BadRequest, odd);
        Assert.Contains("fraud, legit", problem, StringComparison.Ordinal);
        var (corrected, wrong) = await DecideAsync(Feature, "odd1", """{"decision":"correct","label":"banana"}""");
        Assert.Equal(HttpStatusCode.BadRequest, corrected);
        Assert.Contains("fraud, legit", wrong, StringComparison.Ordinal);
        Assert.Equal(
            HttpStatusCode.OK,
            (await DecideAsync(Feature, "odd1", """{"decision":"correct","label":"legit"}""")).Status
        );
        var rows = await RowsAsync();
        Assert.Equal(
            "legit,fraud",
            Joined(rows.Ids.Zip(rows.Labels).OrderBy(r => r.First, StringComparer.Ordinal).Select(r => r.Second))
        );
    }

    [Fact]
    public async Task Review_SameIdInTwoFeatures_IsRoutedAndDecidedInEach()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Prediction("both"), Prediction("both", Other))).Status);
        Assert.Equal(
            HttpStatusCode.OK,
            (await DecideAsync(Feature, "both", """{"decision":"correct","label":"legit"}""")).Status
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (await DecideAsync(Other, "both", """{"decision":"correct","label":"fraud"}""")).Status
        );
        Assert.Equal("legit", Joined((await RowsAsync(Feature)).Labels));
        Assert.Equal("fraud", Joined((await RowsAsync(Other)).Labels));
    }
}

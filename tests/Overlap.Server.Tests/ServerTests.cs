using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>Contracts, ingest and auth through HTTP on a real server and a real DuckDB file.</summary>
public sealed class ServerTests : IAsyncLifetime
{
    private const string Feature = "payments-fraud";
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        using var admin = _server.Client(KeyRole.Admin);
        var put = await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(ContractText()));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string ContractText() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"));

    private static string Prediction(string id, string score = "0.5", string feature = Feature) =>
        $$$"""{"type":"prediction","id":"{{{id}}}","feature":"{{{feature}}}","time":"2026-11-23T10:00:00Z","score":{{{score}}},"attributes":{"channel":"web"}}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Body(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private async Task<long> PredictionsStored() => (await _server.CountAsync(Feature)).Predictions;

    [Fact]
    public async Task Health_IsOpen_EverythingElseNeedsAValidKey()
    {
        using var anonymous = _server.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        var refused = await anonymous.GetAsync($"/v1/features/{Feature}/contract");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains(
            "overlap keys create",
            (await Body(refused)).GetProperty("detail").GetString(),
            StringComparison.Ordinal
        );
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/no/such/path")).StatusCode);
        // A page of the dashboard (any other path) sends a browser to sign in first.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = _server.Address,
        };
        var page = await browser.GetAsync("/no/such/path");
        Assert.Equal(HttpStatusCode.Found, page.StatusCode);
        Assert.StartsWith("/signin?ReturnUrl=", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        using var forged = new HttpClient { BaseAddress = _server.Address };
        forged.DefaultRequestHeaders.Add("X-Api-Key", "ovl_not-a-key");
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await forged.PostAsync("/v1/events", Json("[" + Prediction("x") + "]"))).StatusCode
        );
        Assert.Equal(0, await PredictionsStored());
    }

    [Theory]
    [InlineData(KeyRole.Ingest, HttpStatusCode.Accepted, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData(KeyRole.Viewer, HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData(KeyRole.Reviewer, HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData(KeyRole.Admin, HttpStatusCode.Accepted, HttpStatusCode.OK, HttpStatusCode.Created)]
    public async Task EachRole_MayDoOnlyWhatItIsFor(
        KeyRole role,
        HttpStatusCode ingest,
        HttpStatusCode read,
        HttpStatusCode putContract
    )
    {
        using var client = _server.Client(role);
        Assert.Equal(ingest, (await client.PostAsync("/v1/events", Json("[" + Prediction("r1") + "]"))).StatusCode);
        Assert.Equal(read, (await client.GetAsync($"/v1/features/{Feature}/contract")).StatusCode);
        Assert.Equal(read, (await client.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(read, (await client.GetAsync($"/v1/features/{Feature}/metrics?resamples=0")).StatusCode);
        Assert.Equal(read, (await client.GetAsync($"/v1/features/{Feature}/alerts")).StatusCode);
        Assert.Equal(read, (await client.GetAsync($"/v1/features/{Feature}/export")).StatusCode);
        Assert.Equal(
            putContract == HttpStatusCode.Created ? HttpStatusCode.OK : HttpStatusCode.Forbidden,
            (await client.PostAsync($"/v1/features/{Feature}/alerts/evaluate", null)).StatusCode
        );
        Assert.Equal(
            putContract,
            (await client.PutAsync($"/v1/features/{Feature}/contract", new StringContent(ContractText()))).StatusCode
        );
    }

    [Fact]
    public async Task Contract_EveryVersionKeptWithWhoChangedIt_BadOnesRefusedWithTheLine()
    {
        using var admin = _server.Client(KeyRole.Admin);
        var changed = ContractText().Replace("threshold: 0.15", "threshold: 0.2", StringComparison.Ordinal);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(changed))).StatusCode
        );
        var latest = await Body(await admin.GetAsync($"/v1/features/{Feature}/contract"));
        Assert.Equal(
            (2, "Admin tester"),
            (latest.GetProperty("version").GetInt32(), latest.GetProperty("changed_by").GetString())
        );
        Assert.Contains("threshold: 0.2", latest.GetProperty("yaml").GetString(), StringComparison.Ordinal);
        var first = await Body(await admin.GetAsync($"/v1/features/{Feature}/contract?version=1"));
        Assert.Contains("threshold: 0.15", first.GetProperty("yaml").GetString(), StringComparison.Ordinal);
        var versions = await Body(await admin.GetAsync($"/v1/features/{Feature}/contract/versions"));
        Assert.Equal([1, 2], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await admin.GetAsync($"/v1/features/{Feature}/contract?version=9")).StatusCode
        );

        var broken = await admin.PutAsync(
            $"/v1/features/{Feature}/contract",
            new StringContent(changed.Replace("threshold: 0.2", "threshold: high", StringComparison.Ordinal))
        );
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        var line =
            changed.Split('\n').ToList().FindIndex(l => l.StartsWith("threshold:", StringComparison.Ordinal)) + 1;
        Assert.StartsWith(
            $"the contract for 'payments-fraud':{line}: ",
            (await Body(broken)).GetProperty("detail").GetString(),
            StringComparison.Ordinal
        );
        var elsewhere = await admin.PutAsync("/v1/features/other/contract", new StringContent(ContractText()));
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.Equal("The contract names another feature", (await Body(elsewhere)).GetProperty("title").GetString());
        Assert.Equal(2, (await _server.Store<IContractStore>().ListContractVersionsAsync(Feature)).Count);
    }

    [Fact]
    public async Task Events_BadOnesAnsweredByIndex_GoodOnesKept_RepeatsAreNoOps()
    {
        using var ingest = _server.Client(KeyRole.Ingest);
        var batch =
            "["
            + string.Join(
                ',',
                Prediction("p1"),
                Prediction("p2", "\"NaN\""),
                Prediction("p3", feature: "unknown-feature"),
                """{"type":"prediction","id":"p4","feature":"payments-fraud","score":0.2}""",
                Prediction("p5", "0.1")
            )
            + "]";
        var response = await ingest.PostAsync("/v1/events", Json(batch));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await Body(response);
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        Assert.Equal(
            [1, 2, 3],
            body.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("index").GetInt32())
        );
        Assert.Contains(
            "PUT /v1/features/unknown-feature/contract",
            body.GetProperty("rejected")[1].GetProperty("error").GetString(),
            StringComparison.Ordinal
        );
        Assert.Equal(2, await PredictionsStored());

        // The same batch again, as a retrying client would send it: nothing new is stored.
        Assert.Equal(HttpStatusCode.Accepted, (await ingest.PostAsync("/v1/events", Json(batch))).StatusCode);
        var outcome = """{"type":"outcome","id":"o1","prediction_id":"p1","label":1,"time":"2026-11-25T10:00:00Z"}""";
        Assert.Equal(
            HttpStatusCode.Accepted,
            (await ingest.PostAsync("/v1/events", Json(outcome + "\n" + outcome + "\n"))).StatusCode
        );
        Assert.Equal(new EventCounts(2, 1, 0, 0, 1), await _server.CountAsync(Feature));
    }

    [Fact]
    public async Task Events_GzippedNdjson_AreStored()
    {
        using var ingest = _server.Client(KeyRole.Ingest);
        var lines = string.Join('\n', Enumerable.Range(0, 500).Select(i => Prediction($"g{i}", "0.25")));
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(lines));
        }
        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new("application/x-ndjson");
        content.Headers.ContentEncoding.Add("gzip");
        var response = await ingest.PostAsync("/v1/events", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(500, (await Body(response)).GetProperty("accepted").GetInt32());
        Assert.Equal(500, await PredictionsStored());
    }

    [Theory]
    [InlineData("[{\"type\":\"prediction\",", "The body is not a batch of events")]
    [InlineData("[{\"type\":\"prediction\",\"id\":\"n\",\"score\":NaN}]", "The body is not a batch of events")]
    [InlineData("score=0.5", "The body is not a batch of events")]
    [InlineData("[]", null)]
    public async Task Events_Malformed_AreA400_AndTheServerKeepsServing(string body, string? title)
    {
        using var ingest = _server.Client(KeyRole.Ingest);
        var response = await ingest.PostAsync("/v1/events", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (title is not null)
        {
            Assert.Equal(title, (await Body(response)).GetProperty("title").GetString());
        }
        Assert.Equal(
            HttpStatusCode.Accepted,
            (await ingest.PostAsync("/v1/events", Json("[" + Prediction("after") + "]"))).StatusCode
        );
        Assert.Equal(1, await PredictionsStored());
    }

    [Fact]
    public async Task Events_TwentyMegabyteBody_Is413_AndNothingIsKept()
    {
        // The client waits for the server's answer to the headers however loaded the machine: by default it sends the
        // body after 1 s without one, and the server's 413 then meets a body it has stopped reading (a broken pipe).
        using var ingest = new HttpClient(
            new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) }
        )
        {
            BaseAddress = _server.Address,
            Timeout = TimeSpan.FromSeconds(90),
        };
        ingest.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer",
            _server.Key(KeyRole.Ingest)
        );
        var one = Prediction("big-0");
        var builder = new StringBuilder("[");
        for (var i = 0; builder.Length < 20 * 1024 * 1024; i++)
        {
            builder.Append(i == 0 ? string.Empty : ",").Append(Prediction($"big-{i}"));
        }
        // Expect: 100-continue lets the server refuse on the declared length before the client sends 20 MB.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events")
        {
            Content = Json(builder.Append(']').ToString()),
        };
        request.Headers.ExpectContinue = true;
        var response = await ingest.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await PredictionsStored());
        Assert.Equal(HttpStatusCode.Accepted, (await ingest.PostAsync("/v1/events", Json("[" + one + "]"))).StatusCode);
    }

    [Fact]
    public async Task Events_SqlLookingText_IsStoredAsText()
    {
        using var ingest = _server.Client(KeyRole.Ingest);
        const string id = "x'); DROP TABLE predictions; --";
        var response = await ingest.PostAsJsonAsync(
            "/v1/events",
            new[]
            {
                new Dictionary<string, object>
                {
                    ["type"] = "prediction",
                    ["id"] = id,
                    ["feature"] = Feature,
                    ["time"] = "2026-11-23T10:00:00Z",
                    ["attributes"] = new Dictionary<string, string> { ["channel"] = "'; DELETE FROM outcomes; --" },
                },
            }
        );
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await PredictionsStored());
    }

    [Fact]
    public async Task Restart_KeepsContractsKeysAndEvents()
    {
        using (var ingest = _server.Client(KeyRole.Ingest))
        {
            Assert.Equal(
                HttpStatusCode.Accepted,
                (await ingest.PostAsync("/v1/events", Json("[" + Prediction("kept") + "]"))).StatusCode
            );
        }
        var folder = _server.Folder;
        await _server.StopKeepingDataAsync();
        _server = await RunningServer.StartAsync(folder);
        using var admin = _server.Client(KeyRole.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/features/{Feature}/contract")).StatusCode);
        Assert.Equal(1, await PredictionsStored());
    }
}

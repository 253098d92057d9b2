using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Overlap.Core.Contracts;
using Overlap.Core.Data;
using Overlap.Core.Evaluation;
using Overlap.Core.Reports;
using Overlap.Storage;

namespace Overlap.Server.Tests;

/// <summary>Evaluation runs through HTTP on a real server and a real DuckDB file: upload, evaluate here, read, compare.</summary>
public sealed class EvaluationTests : IAsyncLifetime
{
    private const string Feature = "payments-fraud";
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(configure: o => o with { MaxBodyBytes = 2 * 1024 * 1024 });
        using var admin = _server.Client(KeyRole.Admin);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(ContractText()))).StatusCode
        );
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static string ContractText() => File.ReadAllText(Fixture("payments-fraud.yaml"));

    private static Contract Contract() => ContractParser.Parse(ContractText(), "overlap.yaml");

    /// <summary>The first <paramref name="rows"/> examples of the scored month, as CSV.</summary>
    private static string Scored(int rows) =>
        string.Join('\n', File.ReadLines(Fixture("payments-fraud-scored.csv")).Take(rows + 1)) + "\n";

    /// <summary>What <c>overlap eval --format json</c> computes for the same text, with its defaults.</summary>
    private static EvaluationReport Evaluate(string csv, int resamples = EvaluationOptions.DefaultResamples)
    {
        var table = TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            DataFormat.Csv,
            Evaluator.ReadOptions(Contract(), "data.csv")
        );
        return Evaluator.Evaluate(Contract(), table, new EvaluationOptions { Resamples = resamples });
    }

    private static string WithoutProvenance(string json) =>
        ReportJson.Write(ReportJson.ReadEvaluation(json)! with { Provenance = null });

    private static async Task<JsonElement> Body(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static async Task<long> CreatedId(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await Body(response)).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task AnUploadedReport_IsKeptWithWhoAndWhen_AndReadBackAsTheSameJson()
    {
        var report = ReportJson.Write(Evaluate(Scored(2000), resamples: 200));
        using var reviewer = _server.Client(KeyRole.Reviewer);
        var created = await reviewer.PostAsync(
            $"/v1/features/{Feature}/evaluations?name=model%20v1&contract_version=1",
            Json(report)
        );
        var id = await CreatedId(created);
        Assert.Equal($"/v1/features/{Feature}/evaluations/{id}", created.Headers.Location!.OriginalString);
        var run = await Body(created);
        Assert.Equal(
            run.GetProperty("uploaded_at").GetDateTimeOffset(),
            (await Body(await reviewer.GetAsync($"/v1/features/{Feature}/evaluations")))[0]
                .GetProperty("uploaded_at")
                .GetDateTimeOffset()
        );
        Assert.Equal(
            ("model v1", "Reviewer tester", "upload", 1, 2000L),
            (
                run.GetProperty("name").GetString(),
                run.GetProperty("uploaded_by").GetString(),
                run.GetProperty("source").GetString(),
                run.GetProperty("contract_version").GetInt32(),
                run.GetProperty("n").GetInt64()
            )
        );
        Assert.Equal(
            VerdictText.Word(ReportJson.ReadEvaluation(report)!.Verdict),
            run.GetProperty("verdict").GetString()
        );

        using var viewer = _server.Client(KeyRole.Viewer);
        Assert.Equal(report, await viewer.GetStringAsync($"/v1/features/{Feature}/evaluations/{id}"));
        var html = await viewer.GetAsync($"/v1/features/{Feature}/evaluations/{id}?format=html");
        Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HtmlReport.Write(ReportJson.ReadEvaluation(report)!), await html.Content.ReadAsStringAsync());
        Assert.StartsWith(
            "default-src 'none'",
            html.Headers.GetValues("Content-Security-Policy").Single(),
            StringComparison.Ordinal
        );
        var list = await Body(await viewer.GetAsync($"/v1/features/{Feature}/evaluations"));
        Assert.Equal(id, list[0].GetProperty("id").GetInt64());

        // Kept across a restart of the server.
        await _server.StopKeepingDataAsync();
        _server = await RunningServer.StartAsync(_server.Folder);
        using var again = _server.Client(KeyRole.Viewer);
        Assert.Equal(report, await again.GetStringAsync($"/v1/features/{Feature}/evaluations/{id}"));
    }

    [Fact]
    public async Task ADataFile_IsEvaluatedHere_ExactlyAsOverlapEvalDoes_RawOrAsAForm()
    {
        var csv = Scored(1500);
        var expected = ReportJson.Write(Evaluate(csv));
        using var admin = _server.Client(KeyRole.Admin);
        var before = TimeProvider.System.GetUtcNow();
        var raw = await admin.PostAsync(
            $"/v1/features/{Feature}/evaluations/run?name=raw",
            new StringContent(csv, Encoding.UTF8, "text/csv")
        );
        var rawId = await CreatedId(raw);
        Assert.Equal(
            ("run", 1, 1500L),
            (
                (await Body(raw)).GetProperty("source").GetString(),
                (await Body(raw)).GetProperty("contract_version").GetInt32(),
                (await Body(raw)).GetProperty("n").GetInt64()
            )
        );
        var stored = await admin.GetStringAsync($"/v1/features/{Feature}/evaluations/{rawId}");
        Assert.Equal(expected, WithoutProvenance(stored));
        // The run the server evaluated says what produced it.
        var provenance = ReportJson.ReadEvaluation(stored)!.Provenance!;
        Assert.Equal(
            (1, "payments-fraud contract", EvaluationOptions.DefaultSeed, EvaluationOptions.DefaultResamples),
            (
                provenance.ContractVersion!.Value,
                provenance.Contract,
                provenance.Seed!.Value,
                provenance.Resamples!.Value
            )
        );
        Assert.Equal(
            Convert.ToHexStringLower(
                System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(ContractText()))
            ),
            provenance.ContractSha256
        );
        var file = Assert.Single(provenance.Data);
        Assert.Equal(
            (
                "data",
                1500L,
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(csv)))
            ),
            (file.Role, file.Rows, file.Sha256)
        );
        Assert.InRange(provenance.CreatedAt, before.AddSeconds(-1), TimeProvider.System.GetUtcNow().AddSeconds(1));
        Assert.Equal(Overlap.Core.Provenance.RunProvenance.CurrentVersion, provenance.OverlapVersion);

        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "january.csv" },
            { new StringContent("model v2"), "name" },
        };
        var formId = await CreatedId(await admin.PostAsync($"/v1/features/{Feature}/evaluations/run", form));
        var fromForm = await admin.GetStringAsync($"/v1/features/{Feature}/evaluations/{formId}");
        Assert.Equal(expected, WithoutProvenance(fromForm));
        Assert.Equal("january.csv", ReportJson.ReadEvaluation(fromForm)!.Provenance!.Data[0].Name);
        // A blank name becomes the file's name.
        using var unnamed = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "february.csv" },
            { new StringContent("  "), "name" },
        };
        Assert.Equal(
            "february.csv",
            (await Body(await admin.PostAsync($"/v1/features/{Feature}/evaluations/run?resamples=100", unnamed)))
                .GetProperty("name")
                .GetString()
        );
        var runs = await Body(await admin.GetAsync($"/v1/features/{Feature}/evaluations"));
        Assert.Equal(
            new[] { "february.csv", "model v2", "raw" },
            runs.EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToArray()
        );
    }

    [Fact]
    public async Task TwoRuns_AreComparedAsIndependentSamples()
    {
        using var reviewer = _server.Client(KeyRole.Reviewer);
        var first = Scored(3000);
        var second =
            string.Join(
                '\n',
                File.ReadLines(Fixture("payments-fraud-scored.csv"))
                    .Skip(3001)
                    .Prepend(File.ReadLines(Fixture("payments-fraud-scored.csv")).First())
            ) + "\n";
        var a = await CreatedId(
            await reviewer.PostAsync(
                $"/v1/features/{Feature}/evaluations/run?resamples=200",
                new StringContent(first, Encoding.UTF8, "text/csv")
            )
        );
        var b = await CreatedId(
            await reviewer.PostAsync(
                $"/v1/features/{Feature}/evaluations/run?resamples=200&name=second",
                new StringContent(second, Encoding.UTF8, "text/csv")
            )
        );
        using var viewer = _server.Client(KeyRole.Viewer);
        var json = await viewer.GetStringAsync($"/v1/features/{Feature}/evaluations/compare?a={a}&b={b}");
        var expected = RunComparer.Compare(
            Evaluate(first, 200),
            $"the body (#{a})",
            Evaluate(second, 200),
            $"second (#{b})"
        );
        // The stored reports went through JSON, rounded at 12 decimals: the comparison is the same to that precision.
        var actual = ReportJson.ReadRunComparison(json)!;
        Assert.Equal(expected.Metrics.Select(m => m.Metric), actual.Metrics.Select(m => m.Metric));
        foreach (var (e, x) in expected.Metrics.Zip(actual.Metrics))
        {
            Assert.Equal(e.CiLow!.Value, x.CiLow!.Value, 9);
            Assert.Equal(e.CiHigh!.Value, x.CiHigh!.Value, 9);
            Assert.Equal((e.Method, e.Significant, e.Direction), (x.Method, x.Significant, x.Direction));
        }
        Assert.Equal("second (#" + b + ")", actual.B.Name);
        Assert.Equal(expected.Requirements.Count, actual.Requirements.Count);

        Assert.Equal(
            HttpStatusCode.NotFound,
            (await viewer.GetAsync($"/v1/features/{Feature}/evaluations/compare?a={a}&b=999")).StatusCode
        );
        var missing = await viewer.GetAsync($"/v1/features/{Feature}/evaluations/compare?a={a}");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains(
            "compare?a=1&b=2",
            (await Body(missing)).GetProperty("detail").GetString(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task AReportFromEvalWithABaseline_KeepsItsPairedComparison_WhichTheComparisonOfRunsCarries()
    {
        // The same January payments scored by the model in use (scores × 0.7) as the baseline.
        var csv = Scored(2000);
        var score = Array.IndexOf(csv.Split('\n')[0].Split(','), "p_fraud");
        var baselineCsv =
            string.Join(
                '\n',
                csv.TrimEnd('\n')
                    .Split('\n')
                    .Select(
                        (line, i) =>
                        {
                            var cells = line.Split(',');
                            if (i > 0)
                            {
                                cells[score] = (
                                    double.Parse(cells[score], System.Globalization.CultureInfo.InvariantCulture) * 0.7
                                ).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
                            }
                            return string.Join(',', cells);
                        }
                    )
            ) + "\n";
        var baseline = TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(baselineCsv)),
            DataFormat.Csv,
            Evaluator.BaselineReadOptions(Contract(), "baseline.csv")
        );
        var table = TableReader.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            DataFormat.Csv,
            Evaluator.ReadOptions(Contract(), "data.csv")
        );
        var paired = Evaluator.Evaluate(
            Contract(),
            table,
            new EvaluationOptions { Resamples = 200, Baseline = baseline }
        );
        Assert.NotNull(paired.Comparison);

        using var reviewer = _server.Client(KeyRole.Reviewer);
        var a = await CreatedId(
            await reviewer.PostAsync(
                $"/v1/features/{Feature}/evaluations?name=current",
                Json(ReportJson.Write(Evaluate(Scored(500), 200)))
            )
        );
        var b = await CreatedId(
            await reviewer.PostAsync(
                $"/v1/features/{Feature}/evaluations?name=candidate",
                Json(ReportJson.Write(paired))
            )
        );
        var comparison = ReportJson.ReadRunComparison(
            await reviewer.GetStringAsync($"/v1/features/{Feature}/evaluations/compare?a={a}&b={b}")
        )!;
        Assert.Null(comparison.PairedA);
        Assert.Contains(
            "\"comparison\": {",
            await reviewer.GetStringAsync($"/v1/features/{Feature}/evaluations/{b}"),
            StringComparison.Ordinal
        );
        Assert.Equal(
            paired.Comparison.Differences.Select(d => (d.Metric, d.Method, d.Direction)),
            comparison.PairedB!.Differences.Select(d => (d.Metric, d.Method, d.Direction))
        );
        Assert.Equal(
            paired.Comparison.Differences[0].PValue!.Value,
            comparison.PairedB.Differences[0].PValue!.Value,
            12
        );
        Assert.Contains(comparison.Statements, s =>
            s.Contains("with a baseline model carries a paired comparison", StringComparison.Ordinal)
        );
    }

    [Theory]
    [InlineData(KeyRole.Viewer, HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData(KeyRole.Ingest, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData(KeyRole.Reviewer, HttpStatusCode.OK, HttpStatusCode.Created)]
    [InlineData(KeyRole.Admin, HttpStatusCode.OK, HttpStatusCode.Created)]
    public async Task ReadersRead_ReviewersAndAdminsAdd(KeyRole role, HttpStatusCode read, HttpStatusCode add)
    {
        using var client = _server.Client(role);
        Assert.Equal(read, (await client.GetAsync($"/v1/features/{Feature}/evaluations")).StatusCode);
        Assert.Equal(
            add,
            (
                await client.PostAsync(
                    $"/v1/features/{Feature}/evaluations/run?resamples=100",
                    new StringContent(Scored(300), Encoding.UTF8, "text/csv")
                )
            ).StatusCode
        );
        Assert.Equal(
            add,
            (
                await client.PostAsync(
                    $"/v1/features/{Feature}/evaluations",
                    Json(ReportJson.Write(Evaluate(Scored(300), 100)))
                )
            ).StatusCode
        );
    }

    [Fact]
    public async Task BadUploads_Are400Or413_SayingWhatToSend_AndKeepNothing()
    {
        using var reviewer = _server.Client(KeyRole.Reviewer);
        async Task<string> Refused(HttpResponseMessage response, HttpStatusCode status)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
            return JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!;
        }
        var url = $"/v1/features/{Feature}/evaluations";
        Assert.Contains(
            "overlap eval --contract overlap.yaml --data FILE --format json",
            await Refused(await reviewer.PostAsync(url, Json("feature,n\nx,1")), HttpStatusCode.BadRequest),
            StringComparison.Ordinal
        );
        Assert.Contains(
            "lacks metrics",
            await Refused(
                await reviewer.PostAsync(
                    url,
                    Json(
                        """{"feature":"payments-fraud","task":"binary","verdict":"pass","n":3,"confidence":0.95,"metrics":null,"segments":{},"requirements":[],"statements":[]}"""
                    )
                ),
                HttpStatusCode.BadRequest
            ),
            StringComparison.Ordinal
        );
        var lacking = await Refused(
            await reviewer.PostAsync(url, Json("""{"feature":"payments-fraud","n":3}""")),
            HttpStatusCode.BadRequest
        );
        Assert.Contains("it lacks 'task', 'verdict'", lacking, StringComparison.Ordinal);
        Assert.DoesNotContain("Overlap.Core", lacking, StringComparison.Ordinal);
        Assert.DoesNotContain(
            "Overlap.Core",
            await Refused(
                await reviewer.PostAsync(url, Json("""{"feature":"payments-fraud","n":"three"}""")),
                HttpStatusCode.BadRequest
            ),
            StringComparison.Ordinal
        );
        var other = ReportJson.Write(Evaluate(Scored(300), 100) with { Feature = "spam-filter" });
        Assert.Contains(
            "/v1/features/spam-filter/evaluations",
            await Refused(await reviewer.PostAsync(url, Json(other)), HttpStatusCode.BadRequest),
            StringComparison.Ordinal
        );
        var report = ReportJson.Write(Evaluate(Scored(300), 100));
        Assert.Contains(
            "no contract version 7",
            await Refused(
                await reviewer.PostAsync(url + "?contract_version=7", Json(report)),
                HttpStatusCode.BadRequest
            ),
            StringComparison.Ordinal
        );
        Assert.Contains(
            "at most 200 characters",
            await Refused(
                await reviewer.PostAsync(url + "?name=" + new string('x', 201), Json(report)),
                HttpStatusCode.BadRequest
            ),
            StringComparison.Ordinal
        );
        // Expect: 100-continue lets the server refuse on the declared length before the client sends it all.
        using var large = new HttpRequestMessage(HttpMethod.Post, url + "/run")
        {
            Content = new StringContent(new string('x', 3 * 1024 * 1024), Encoding.UTF8, "text/csv"),
        };
        large.Headers.ExpectContinue = true;
        Assert.Contains(
            "at most 2 MiB",
            await Refused(await reviewer.SendAsync(large), HttpStatusCode.RequestEntityTooLarge),
            StringComparison.Ordinal
        );
        // A data file: an unknown format, a column the contract names missing (the reader's own words), nothing at all.
        Assert.Contains(
            "?format=csv|jsonl|parquet",
            await Refused(
                await reviewer.PostAsync(
                    url + "/run",
                    new StringContent(Scored(10), Encoding.UTF8, "application/octet-stream")
                ),
                HttpStatusCode.BadRequest
            ),
            StringComparison.Ordinal
        );
        var noScore = string.Join(
            '\n',
            Scored(10).Split('\n').Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 8)))
        );
        Assert.Contains(
            "p_fraud",
            await Refused(
                await reviewer.PostAsync(
                    url + "/run?format=csv",
                    new StringContent(noScore, Encoding.UTF8, "text/plain")
                ),
                HttpStatusCode.BadRequest
            ),
            StringComparison.Ordinal
        );
        Assert.Contains(
            "empty",
            await Refused(
                await reviewer.PostAsync(url + "/run", new StringContent("", Encoding.UTF8, "text/csv")),
                HttpStatusCode.BadRequest
            ),
            StringComparison.Ordinal
        );
        Assert.Contains(
            "between 100 and 100000",
            await Refused(
                await reviewer.PostAsync(
                    url + "/run?resamples=5",
                    new StringContent(Scored(10), Encoding.UTF8, "text/csv")
                ),
                HttpStatusCode.BadRequest
            ),
            StringComparison.Ordinal
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await reviewer.PostAsync("/v1/features/nope/evaluations", Json(report))).StatusCode
        );
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.GetAsync($"{url}/12345")).StatusCode);
        Assert.Empty((await Body(await reviewer.GetAsync(url))).EnumerateArray());
    }
}

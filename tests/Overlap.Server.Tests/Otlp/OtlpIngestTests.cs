using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Overlap.Core.Timestamps;
using Overlap.Events;
using Overlap.Server.Otlp.Wire;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Server.Tests.Otlp;

/// <summary>
/// OTLP over HTTP against a real server: the OpenTelemetry .NET SDK exports the spans Microsoft.Extensions.AI's
/// UseOpenTelemetry() makes (sensitive data on) and they are stored as predictions; OTLP/JSON bodies, refused spans
/// counted in partial_success, resends, and bodies that are malformed, of another type or too large.
/// </summary>
public sealed class OtlpIngestTests : IAsyncLifetime
{
    private const string Feature = "reply-drafter";
    private const string Source = "Overlap.Tests.Chat";
    private static readonly DateTimeOffset Day = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(configure: o => o with { MaxBodyBytes = 64 * 1024 });
        using var admin = _server.Client(Overlap.Storage.KeyRole.Admin);
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"))
            .Replace("feature: payments-fraud", $"feature: {Feature}", StringComparison.Ordinal);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(yaml))).StatusCode
        );
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<IReadOnlyList<FeatureEvent>> StoredAsync(DateTimeOffset from, DateTimeOffset to)
    {
        await _server.CountAsync(Feature);
        return await _server.Store<IEventReader>().ReadEventsAsync(Feature, from, to);
    }

    /// <summary>Keeps every span that ends, to compare the stored predictions with.</summary>
    private sealed class Ended : BaseProcessor<Activity>
    {
        public List<Activity> Spans { get; } = [];

        public override void OnEnd(Activity data) => Spans.Add(data);
    }

    [Fact]
    public async Task OpenTelemetryExporter_ChatSpansOfMicrosoftExtensionsAI_AreStoredAsPredictions()
    {
        var ended = new Ended();
        using (
            var tracing = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(
                    ResourceBuilder
                        .CreateEmpty()
                        .AddService(Feature)
                        .AddAttributes([
                            new("overlap.prompt.name", "reply"),
                            new("overlap.prompt.version", 3),
                            new("overlap.segment.channel", "email"),
                        ])
                )
                .AddSource(Source)
                .AddProcessor(ended)
                .AddOtlpExporter(o =>
                {
                    o.Endpoint = new Uri(_server.Address, "/v1/otlp/v1/traces");
                    o.Protocol = OtlpExportProtocol.HttpProtobuf;
                    o.Headers = $"Authorization=Bearer {_server.Key(Overlap.Storage.KeyRole.Ingest)}";
                    o.ExportProcessorType = ExportProcessorType.Simple;
                })
                .Build()
        )
        {
            var time = new FakeTimeProvider();
            using var chat = new ChatClientBuilder(
                new ScriptedChatClient(time)
                {
                    Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Hi Ann, it ships today."))
                    {
                        ResponseId = "chatcmpl-1",
                        ModelId = "gpt-4o-mini-2024-07-18",
                        ConversationId = "t-9",
                        Usage = new UsageDetails { InputTokenCount = 812, OutputTokenCount = 45 },
                    },
                }
            ).UseOpenTelemetry(sourceName: Source, configure: c => c.EnableSensitiveData = true).Build();
            await chat.GetResponseAsync(
                [new(ChatRole.System, "You draft replies."), new(ChatRole.User, "Where is my order?")],
                new ChatOptions { ModelId = "gpt-4o-mini", ConversationId = "t-9" }
            );

            using var failing = new ChatClientBuilder(
                new ScriptedChatClient(time) { Failure = new HttpRequestException("down") }
            )
                .UseOpenTelemetry(sourceName: Source, configure: c => c.EnableSensitiveData = true)
                .Build();
            await Assert.ThrowsAsync<HttpRequestException>(() =>
                failing.GetResponseAsync([new(ChatRole.User, "Hello?")], new ChatOptions { ModelId = "gpt-4o-mini" })
            );
            Assert.True(tracing.ForceFlush(10_000));
        }

        Assert.Equal(2, ended.Spans.Count);
        var from = new DateTimeOffset(ended.Spans.Min(s => s.StartTimeUtc)).AddMinutes(-1);
        var stored = (await StoredAsync(from, from.AddHours(1))).Cast<PredictionEvent>().ToList();
        Assert.Equal(2, stored.Count);
        var (answered, failed) = (ended.Spans[0], ended.Spans[1]);
        var prediction = Assert.Single(stored, p => p.Id == Id(answered));
        Assert.Equal(
            new PredictionEvent
            {
                Id = answered.TraceId.ToHexString() + answered.SpanId.ToHexString(),
                Time = UnixMicroseconds.Stored(new DateTimeOffset(answered.StartTimeUtc)),
                Feature = Feature,
                ModelVersion = "reply@3",
                Model = "gpt-4o-mini-2024-07-18",
                LatencyMs = prediction.LatencyMs,
                InputTokens = 812,
                OutputTokens = 45,
                ConversationId = "t-9",
                Output = "Hi Ann, it ships today.",
                InputsJson =
                    """{"messages":[{"role":"system","text":"You draft replies."},{"role":"user","text":"Where is my order?"}]}""",
                AttributesJson = """{"channel":"email","gen_ai.response.id":"chatcmpl-1"}""",
            },
            prediction
        );
        Assert.Equal(answered.Duration.TotalMilliseconds, prediction.LatencyMs!.Value, 6);

        var error = Assert.Single(stored, p => p.Id == Id(failed));
        Assert.Equal(
            ("System.Net.Http.HttpRequestException", "gpt-4o-mini", (string?)null, "reply@3"),
            (error.Error, error.Model, error.Output, error.ModelVersion)
        );
        Assert.Equal(failed.Duration.TotalMilliseconds, error.LatencyMs!.Value, 6);
    }

    private static string Id(Activity span) => span.TraceId.ToHexString() + span.SpanId.ToHexString();

    private const string TraceId = "5b8efff798038103d269b633813fc60c";

    /// <summary>An OTLP/JSON span: generative unless its operation is null.</summary>
    private static string JsonSpan(string spanId, string? operation = "chat", string attributes = "")
    {
        var kind = operation is null
            ? ""
            : $$$"""{"key":"gen_ai.operation.name","value":{"stringValue":"{{{operation}}}"}},""";
        return $$$"""
            {"traceId":"{{{TraceId}}}","spanId":"{{{spanId}}}","name":"chat gpt-4o-mini","kind":3,
             "startTimeUnixNano":"1795435200000000000","endTimeUnixNano":1795435200930500000,
             "attributes":[
               {{{kind}}}
               {"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o-mini"}},
               {"key":"gen_ai.usage.input_tokens","value":{"intValue":"812"}},
               {"key":"gen_ai.usage.output_tokens","value":{"intValue":45}}
               {{{attributes}}}
             ],
             "status":{}}
            """;
    }

    private static string JsonExport(string service, params string[] spans) =>
        $$$"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"{{{service}}}"}}]},
              "scopeSpans":[{"scope":{"name":"x"},"spans":[{{{string.Join(",", spans)}}}]}]}]}
            """;

    private async Task<(HttpStatusCode Status, string ContentType, byte[] Body)> PostAsync(
        byte[] body,
        string contentType,
        Overlap.Storage.KeyRole? role = Overlap.Storage.KeyRole.Ingest
    )
    {
        using var client = _server.Client(role);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await client.PostAsync("/v1/otlp/v1/traces", content);
        return (
            response.StatusCode,
            response.Content.Headers.ContentType?.MediaType ?? "",
            await response.Content.ReadAsByteArrayAsync()
        );
    }

    private Task<(HttpStatusCode Status, string ContentType, byte[] Body)> PostJsonAsync(string json) =>
        PostAsync(Encoding.UTF8.GetBytes(json), "application/json");

    [Fact]
    public async Task Json_WorkflowAttributes_BecomeTheWorkflowObject_ABadRouteIsRefusedNamingIt()
    {
        var body = JsonExport(
            Feature,
            JsonSpan(
                "eee19b7ec3c1b181",
                attributes: """
                ,{"key":"overlap.workflow.route","value":{"stringValue":"retry"}},
                 {"key":"overlap.workflow.attempts","value":{"intValue":"2"}},
                 {"key":"overlap.workflow.failed_checks","value":{"arrayValue":{"values":[{"stringValue":"json_format"}]}}},
                 {"key":"overlap.workflow.reason","value":{"stringValue":"the first draft was not JSON"}}
                """
            ),
            JsonSpan(
                "eee19b7ec3c1b182",
                attributes: """,{"key":"overlap.workflow.route","value":{"stringValue":"retried"}}"""
            )
        );

        var (status, _, answer) = await PostJsonAsync(body);

        Assert.Equal(HttpStatusCode.OK, status);
        var response = ExportTraceServiceResponse.Parser.ParseJson(Encoding.UTF8.GetString(answer));
        Assert.Equal(1, response.PartialSuccess.RejectedSpans);
        Assert.EndsWith(
            "'workflow.route' is 'retried'; use one of direct, retry, fallback, escalate, abstain, reject",
            response.PartialSuccess.ErrorMessage,
            StringComparison.Ordinal
        );
        var stored = Assert.IsType<PredictionEvent>(Assert.Single(await StoredAsync(Day, Day.AddDays(30))));
        Assert.Equal(
            new WorkflowTrace
            {
                Route = WorkflowRoutes.Retry,
                Attempts = 2,
                FailedChecks = ["json_format"],
                Reason = "the first draft was not JSON",
            },
            stored.Workflow
        );
    }

    [Fact]
    public async Task Json_GenerativeSpansStored_OthersSkipped_RefusalsCountedWithReasons_ResendIsANoOp()
    {
        var body = JsonExport(
            Feature,
            JsonSpan(
                "eee19b7ec3c1b174",
                attributes: """
                ,{"key":"overlap.segment.tier","value":{"stringValue":"gold"}},
                 {"key":"overlap.cost","value":{"doubleValue":0.00015}},
                 {"key":"gen_ai.output.messages","value":{"stringValue":"[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi \"},{\"type\":\"text\",\"content\":\"Ann\"}],\"finish_reason\":\"stop\"}]"}}
                """
            ),
            JsonSpan("eee19b7ec3c1b175", operation: null),
            JsonSpan("eee19b7ec3c1b176", operation: "embeddings"),
            JsonSpan(
                "eee19b7ec3c1b177",
                attributes: """,{"key":"overlap.feature","value":{"stringValue":"no-such-feature"}}"""
            ),
            JsonSpan("eee19b7ec3c1b178", attributes: """,{"key":"overlap.cost","value":{"stringValue":"cheap"}}"""),
            JsonSpan("zz")
        );

        var (status, type, answer) = await PostJsonAsync(body);

        Assert.Equal((HttpStatusCode.OK, "application/json"), (status, type));
        var response = ExportTraceServiceResponse.Parser.ParseJson(Encoding.UTF8.GetString(answer));
        Assert.Equal(3, response.PartialSuccess.RejectedSpans);
        Assert.Equal(
            "span 'chat gpt-4o-mini' ( in trace 5b8efff798038103d269b633813fc60c): its span id is not 8 bytes (16 hex digits), not all zero; "
                + "span 'chat gpt-4o-mini' (eee19b7ec3c1b177 in trace 5b8efff798038103d269b633813fc60c): unknown feature 'no-such-feature'; put its contract first: PUT /v1/features/no-such-feature/contract; "
                + "span 'chat gpt-4o-mini' (eee19b7ec3c1b178 in trace 5b8efff798038103d269b633813fc60c): 'cost' is the text \"cheap\"; it must be a finite number (NaN and Infinity are not numbers here)",
            response.PartialSuccess.ErrorMessage
        );
        var stored = Assert.IsType<PredictionEvent>(Assert.Single(await StoredAsync(Day, Day.AddDays(30))));
        Assert.Equal(
            new PredictionEvent
            {
                Id = TraceId + "eee19b7ec3c1b174",
                Time = DateTimeOffset.FromUnixTimeSeconds(1795435200),
                Feature = Feature,
                Model = "gpt-4o-mini",
                LatencyMs = 930.5,
                Cost = 0.00015,
                InputTokens = 812,
                OutputTokens = 45,
                Output = "Hi Ann",
                AttributesJson = """{"tier":"gold"}""",
            },
            stored
        );

        // The exporter retries what it thinks failed: the same spans again change nothing.
        var again = await PostJsonAsync(body);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Single(await StoredAsync(Day, Day.AddDays(30)));
    }

    [Fact]
    public async Task Protobuf_AllGood_AnswersAnEmptyResponse_AndAResendIsANoOp()
    {
        var request = new ExportTraceServiceRequest
        {
            ResourceSpans =
            {
                new ResourceSpans
                {
                    Resource = new Overlap.Server.Otlp.Wire.Resource
                    {
                        Attributes =
                        {
                            new KeyValue
                            {
                                Key = "service.name",
                                Value = new AnyValue { StringValue = Feature },
                            },
                        },
                    },
                    ScopeSpans =
                    {
                        new ScopeSpans
                        {
                            Spans =
                            {
                                new Span
                                {
                                    TraceId = ByteString.CopyFrom(Convert.FromHexString(TraceId)),
                                    SpanId = ByteString.CopyFrom(Convert.FromHexString("00f067aa0ba902b7")),
                                    Name = "chat",
                                    StartTimeUnixNano = 1_795_435_200_000_000_000,
                                    EndTimeUnixNano = 1_795_435_200_250_000_000,
                                    Status = new SpanStatus { Code = Overlap.Server.Otlp.Wire.StatusCode.Error },
                                    Attributes =
                                    {
                                        new KeyValue
                                        {
                                            Key = "gen_ai.operation.name",
                                            Value = new AnyValue { StringValue = "chat" },
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        };
        for (var send = 0; send < 2; send++)
        {
            var (status, type, body) = await PostAsync(request.ToByteArray(), "application/x-protobuf");
            Assert.Equal((HttpStatusCode.OK, "application/x-protobuf"), (status, type));
            Assert.Null(ExportTraceServiceResponse.Parser.ParseFrom(body).PartialSuccess);
        }
        var stored = Assert.IsType<PredictionEvent>(Assert.Single(await StoredAsync(Day, Day.AddDays(30))));
        Assert.Equal(
            (TraceId + "00f067aa0ba902b7", 250.0, "error", (string?)null),
            (stored.Id, stored.LatencyMs!.Value, stored.Error, stored.Output)
        );
    }

    [Theory]
    [InlineData(
        "application/json",
        "{",
        "The body is not an OTLP/JSON trace export: the body is not valid JSON (line 1, byte 2). Nothing from it was kept."
    )]
    [InlineData(
        "application/json",
        "[]",
        "The body is not an OTLP/JSON trace export: the body must be a JSON object. Nothing from it was kept."
    )]
    [InlineData(
        "application/json",
        """{"resourceSpans":5}""",
        "The body is not an OTLP/JSON trace export: the body.resourceSpans must be an array. Nothing from it was kept."
    )]
    [InlineData(
        "application/json",
        """{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"soon"}]}]}]}""",
        "The body is not an OTLP/JSON trace export: resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano must be nanoseconds since 1970 as a whole number (or one written as text). Nothing from it was kept."
    )]
    public async Task MalformedJson_Is400_WithAStatusSayingWhere(string type, string body, string message)
    {
        var (status, answerType, answer) = await PostAsync(Encoding.UTF8.GetBytes(body), type);
        Assert.Equal((HttpStatusCode.BadRequest, "application/json"), (status, answerType));
        var rpc = RpcStatus.Parser.ParseJson(Encoding.UTF8.GetString(answer));
        Assert.Equal((3, message), (rpc.Code, rpc.Message));
    }

    [Fact]
    public async Task MalformedProtobuf_Is400_WithAProtobufStatus()
    {
        var (status, type, answer) = await PostAsync([0x0A, 0xFF, 0xFF, 0xFF, 0x0F, 0x01], "application/x-protobuf");
        Assert.Equal((HttpStatusCode.BadRequest, "application/x-protobuf"), (status, type));
        var rpc = RpcStatus.Parser.ParseFrom(answer);
        Assert.Equal(3, rpc.Code);
        Assert.StartsWith(
            "The body is not an ExportTraceServiceRequest in protobuf (",
            rpc.Message,
            StringComparison.Ordinal
        );
        Assert.EndsWith(
            "); send what an OTLP exporter sends with protocol http/protobuf. Nothing from it was kept.",
            rpc.Message,
            StringComparison.Ordinal
        );
        Assert.Equal(new EventCounts(0, 0, 0, 0, 0), await _server.CountAsync(Feature));
    }

    [Fact]
    public async Task OtherContentTypes_Keys_AndSizes_AreRefusedAsOtlpSays()
    {
        var (status, type, body) = await PostAsync("{}"u8.ToArray(), "text/plain");
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "application/problem+json"), (status, type));
        using (var problem = System.Text.Json.JsonDocument.Parse(body))
        {
            Assert.Equal(
                "OTLP traces are sent as application/x-protobuf (an ExportTraceServiceRequest) or application/json (OTLP/JSON), not 'text/plain'.",
                problem.RootElement.GetProperty("detail").GetString()
            );
        }

        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await PostAsync("{}"u8.ToArray(), "application/json", role: null)).Status
        );
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await PostAsync("{}"u8.ToArray(), "application/json", Overlap.Storage.KeyRole.Viewer)).Status
        );

        var huge = JsonExport(Feature, [.. Enumerable.Range(0, 200).Select(i => JsonSpan($"{i + 1:x16}"))]);
        Assert.True(Encoding.UTF8.GetByteCount(huge) > 64 * 1024);
        var (tooLarge, tooLargeType, tooLargeBody) = await PostJsonAsync(huge);
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "application/json"), (tooLarge, tooLargeType));
        Assert.Equal(
            "An export is at most 64 KiB (after gzip is undone); export smaller batches (the SDK's batch size). Nothing from this one was kept.",
            RpcStatus.Parser.ParseJson(Encoding.UTF8.GetString(tooLargeBody)).Message
        );
        Assert.Equal(new EventCounts(0, 0, 0, 0, 0), await _server.CountAsync(Feature));
    }
}

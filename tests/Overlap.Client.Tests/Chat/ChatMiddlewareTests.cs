using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Overlap.Events;
using Overlap.Server.Auth;
using Overlap.Server.Tests;
using Overlap.Storage;
using Overlap.Tests.Shared;

namespace Overlap.Client.Tests.Chat;

/// <summary>
/// <c>UseOverlap()</c> against a real server: each call through a scripted chat client (fixed responses with usage)
/// arrives as a prediction with every field, streaming too; a failing call is logged and its exception rethrown as it
/// was; feedback helpers link to the logged id; an Overlap server that does not answer never holds up a call.
/// </summary>
public sealed class ChatMiddlewareTests : IAsyncLifetime
{
    private const string Feature = "reply-drafter";
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Noon);
    private RunningServer _server = null!;
    private OverlapClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        using var admin = _server.Client(KeyRole.Admin);
        var yaml = (
            await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "payments-fraud.yaml"))
        ).Replace("feature: payments-fraud", $"feature: {Feature}", StringComparison.Ordinal);
        Assert.Equal(
            HttpStatusCode.Created,
            (await admin.PutAsync($"/v1/features/{Feature}/contract", new StringContent(yaml))).StatusCode
        );
        _client = new OverlapClient(
            new OverlapClientOptions { Endpoint = _server.Address, ApiKey = _server.Key(KeyRole.Ingest) }
        );
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    private IChatClient Pipeline(IChatClient inner, Action<OverlapChatOptions>? configure = null) =>
        new ChatClientBuilder(inner)
            .UseOverlap(Feature, o =>
            {
                o.Client = _client;
                o.Time = _time;
                o.Prices["gpt-4o-mini"] = new ModelPrice(0.15, 0.60);
                configure?.Invoke(o);
            })
            .Build();

    /// <summary>What the server stored for the feature, once the client has sent everything and the store has
    /// it.</summary>
    private async Task<IReadOnlyList<FeatureEvent>> StoredAsync()
    {
        await _client.FlushAsync();
        Assert.Equal(0, _client.Stats.Rejected + _client.Stats.Dropped);
        await _server.CountAsync(Feature);
        return await _server.Store<IEventReader>().ReadEventsAsync(Feature, Noon.AddDays(-1), Noon.AddDays(1));
    }

    private static ChatMessage[] Conversation =>
        [new(ChatRole.System, "You draft replies."), new(ChatRole.User, "Where is my order?")];

    private const string ConversationJson =
        """{"messages":[{"role":"system","text":"You draft replies."},{"role":"user","text":"Where is my order?"}]}""";

    [Fact]
    public async Task GetResponse_IsStoredAsAPrediction_WithEveryField()
    {
        var inner = new ScriptedChatClient(_time)
        {
            Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Hi Ann, it ships today."))
            {
                ResponseId = "chatcmpl-1",
                ModelId = "gpt-4o-mini",
                Usage = new UsageDetails { InputTokenCount = 812, OutputTokenCount = 45 },
            },
        };
        using var chat = Pipeline(inner, o =>
        {
            o.PromptName = "reply";
            o.PromptVersion = "3";
            o.Segments["channel"] = "email";
        });
        var options = new ChatOptions
        {
            ConversationId = "t-9",
            AdditionalProperties = new() { ["overlap.segment.tier"] = "gold", ["overlap.prompt_version"] = 4 },
        };

        var response = await chat.GetResponseAsync(Conversation, options);

        Assert.Equal("Hi Ann, it ships today.", response.Text);
        Assert.Equal("chatcmpl-1", response.GetOverlapPredictionId());
        Assert.Equal(2, inner.Received.Count);
        var stored = Assert.IsType<PredictionEvent>(Assert.Single(await StoredAsync()));
        // 812 × 0.15 / 1e6 + 45 × 0.60 / 1e6 = 0.0001218 + 0.000027
        Assert.Equal(0.0001488, stored.Cost!.Value, 12);
        Assert.Equal(
            new PredictionEvent
            {
                Id = "chatcmpl-1",
                Time = Noon,
                Feature = Feature,
                ModelVersion = "reply@4",
                Model = "gpt-4o-mini",
                LatencyMs = 250,
                Cost = stored.Cost,
                InputTokens = 812,
                OutputTokens = 45,
                ConversationId = "t-9",
                Output = "Hi Ann, it ships today.",
                InputsJson = ConversationJson,
                AttributesJson = """{"channel":"email","tier":"gold"}""",
            },
            stored
        );
    }

    [Fact]
    public async Task Feedback_LinksToTheLoggedId_WithTheEditDistance()
    {
        using var chat = Pipeline(
            new ScriptedChatClient(_time)
            {
                // No response id and a model missing from the price table: a new id, and no cost (never 0).
                Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Hi Ann, it ships today."))
                {
                    ModelId = "llama3",
                    Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 6 },
                },
            }
        );
        var response = await chat.GetResponseAsync(Conversation);
        var id = response.GetOverlapPredictionId()!;
        Assert.Matches("^[0-9a-f]{32}$", id);

        _client.Edited(id, response.Text, "Hello Ann, it ships today!", time: Noon.AddMinutes(1));
        _client.ThumbsUp(id, Feature, Noon.AddMinutes(2));
        _client.ThumbsDown(id, time: Noon.AddMinutes(3));
        _client.Copied(id, time: Noon.AddMinutes(4));
        _client.Regenerated(id, time: Noon.AddMinutes(5));

        var stored = await StoredAsync();
        var prediction = Assert.IsType<PredictionEvent>(stored[0]);
        Assert.Equal(
            (id, "llama3", (double?)null, 10L, 6L),
            (prediction.Id, prediction.Model, prediction.Cost, prediction.InputTokens, prediction.OutputTokens)
        );
        Assert.Null(prediction.ModelVersion);
        var feedback = stored.Skip(1).Cast<FeedbackEvent>().ToList();
        Assert.All(feedback, f => Assert.Equal((id, Feature), (f.PredictionId, f.Feature)));
        Assert.Equal(
            ["edited", "thumbs_up", "thumbs_down", "copied", "regenerated"],
            feedback.Select(f => f.FeedbackKind)
        );
        // "Hi" → "Hello" is 4 edits (substitute i, insert l, l, o), "." → "!" one more.
        Assert.Equal((5L, 26L), (feedback[0].EditDistance!.Value, feedback[0].FinalLength!.Value));
        Assert.All(feedback.Skip(1), f => Assert.Null(f.EditDistance));
    }

    [Fact]
    public async Task GetStreamingResponse_EveryUpdateCarriesTheId_AndTheWholeCallIsStored()
    {
        ChatResponseUpdate[] updates =
        [
            new(ChatRole.Assistant, "Hi ") { ResponseId = "resp-7", ModelId = "gpt-4o-mini" },
            new(null, "Ann") { ResponseId = "resp-7", ModelId = "gpt-4o-mini" },
            new(null, [new UsageContent(new UsageDetails { InputTokenCount = 20, OutputTokenCount = 2 })])
            {
                ResponseId = "resp-7",
                ConversationId = "t-2",
            },
        ];
        using var chat = Pipeline(
            new ScriptedChatClient(_time) { Updates = updates, Step = TimeSpan.FromMilliseconds(40) }
        );

        var seen = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync(Conversation))
        {
            seen.Add(update);
        }

        Assert.Equal(3, seen.Count);
        Assert.All(seen, u => Assert.Equal("resp-7", u.GetOverlapPredictionId()));
        Assert.Equal("resp-7", seen.ToChatResponse().GetOverlapPredictionId());
        var stored = Assert.IsType<PredictionEvent>(Assert.Single(await StoredAsync()));
        // 20 × 0.15 / 1e6 + 2 × 0.60 / 1e6
        Assert.Equal(0.0000042, stored.Cost!.Value, 12);
        Assert.Equal(
            new PredictionEvent
            {
                Id = "resp-7",
                Time = Noon,
                Feature = Feature,
                Model = "gpt-4o-mini",
                LatencyMs = 120,
                Cost = stored.Cost,
                InputTokens = 20,
                OutputTokens = 2,
                ConversationId = "t-2",
                Output = "Hi Ann",
                InputsJson = ConversationJson,
            },
            stored
        );
    }

    [Fact]
    public async Task FailingCall_IsLoggedWithItsErrorAndRethrownUnchanged()
    {
        var failure = new HttpRequestException("the provider is down");
        using var chat = Pipeline(new ScriptedChatClient(_time) { Failure = failure, DefaultModel = "gpt-4o-mini" });
        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => chat.GetResponseAsync(Conversation));
        Assert.Same(failure, thrown);

        var midStream = new TimeoutException("stream cut");
        using var streaming = Pipeline(
            new ScriptedChatClient(_time)
            {
                Updates = [new(ChatRole.Assistant, "Hi") { ResponseId = "resp-9" }, new(null, " there")],
                Failure = midStream,
                FailAfter = 1,
                Step = TimeSpan.FromMilliseconds(30),
            }
        );
        var received = new List<string>();
        var cut = await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var update in streaming.GetStreamingResponseAsync(Conversation))
            {
                received.Add(update.Text);
            }
        });
        Assert.Same(midStream, cut);
        Assert.Equal(["Hi"], received);

        var stored = (await StoredAsync()).Cast<PredictionEvent>().ToList();
        var failed = Assert.Single(stored, p => p.Error == "HttpRequestException");
        Assert.Equal(
            (Noon, 250.0, "gpt-4o-mini", (string?)null, (long?)null, (double?)null),
            (failed.Time, failed.LatencyMs!.Value, failed.Model, failed.Output, failed.InputTokens, failed.Cost)
        );
        Assert.Equal(ConversationJson, failed.InputsJson);
        var streamed = Assert.Single(stored, p => p.Error == "TimeoutException");
        Assert.Equal(("resp-9", 30.0, (string?)null), (streamed.Id, streamed.LatencyMs!.Value, streamed.Output));
    }

    [Fact]
    public async Task UnreachableOverlap_NeverHoldsUpTheCall()
    {
        // A server that accepts connections and never answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await silent.AcceptTcpClientAsync());
            }
        });
        await using var client = new OverlapClient(
            new OverlapClientOptions
            {
                Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}"),
                ApiKey = "any",
                FlushInterval = TimeSpan.Zero,
                ShutdownTimeout = TimeSpan.FromMilliseconds(100),
            }
        );
        using var chat = new ChatClientBuilder(
            new ScriptedChatClient(_time)
            {
                Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { ResponseId = "r1" },
            }
        )
            .UseOverlap(Feature, o => o.Client = client)
            .Build();

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("ok", (await chat.GetResponseAsync(Conversation)).Text);
        }

        // Every call returned while its prediction was still waiting to be sent.
        Assert.Equal((20L, 0L), (client.Stats.Logged, client.Stats.Sent));
        Assert.Equal(20L, client.Stats.Pending);
    }

    [Fact]
    public async Task AnOverlapClientThatThrows_NeverReachesTheCaller()
    {
        using var chat = new ChatClientBuilder(
            new ScriptedChatClient(_time)
            {
                Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { ResponseId = "r1" },
            }
        )
            .UseOverlap(Feature, o => o.Client = new BrokenOverlapClient())
            .Build();
        Assert.Equal("ok", (await chat.GetResponseAsync(Conversation)).Text);
        await foreach (var _ in chat.GetStreamingResponseAsync(Conversation)) { }
    }

    [Fact]
    public void UseOverlap_TakesTheRegisteredClient_OrSaysWhatIsMissing()
    {
        var services = new ServiceCollection()
            .AddOverlap(o =>
            {
                o.Endpoint = _server.Address;
                o.ApiKey = "k";
            })
            .BuildServiceProvider();
        var inner = new ScriptedChatClient(_time);
        using var chat = new ChatClientBuilder(inner).UseOverlap(Feature).Build(services);
        Assert.NotNull(chat.GetService<OverlapChatClient>());

        var missing = Assert.Throws<InvalidOperationException>(() =>
            new ChatClientBuilder(inner).UseOverlap(Feature).Build(new ServiceCollection().BuildServiceProvider())
        );
        Assert.Equal(
            "UseOverlap needs an IOverlapClient: register one with services.AddOverlap(…) or set OverlapChatOptions.Client",
            missing.Message
        );
        var badName = Assert.Throws<ArgumentException>(() =>
            new ChatClientBuilder(inner).UseOverlap("Reply Drafter", o => o.Client = _client).Build()
        );
        Assert.StartsWith("'Reply Drafter' is not a feature name;", badName.Message, StringComparison.Ordinal);
    }

    private sealed class BrokenOverlapClient : IOverlapClient
    {
        public OverlapClientStats Stats => default;

        public void LogPrediction(PredictionEvent prediction) => throw new InvalidOperationException("broken");

        public void LogOutcome(OutcomeEvent outcome) => throw new InvalidOperationException("broken");

        public void LogFeedback(FeedbackEvent feedback) => throw new InvalidOperationException("broken");

        public void LogBusiness(BusinessEvent business) => throw new InvalidOperationException("broken");

        public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

using Microsoft.Extensions.AI;
using Overlap.Client;
using Overlap.Events;

namespace Overlap.Guard.Tests.Chat;

/// <summary>
/// <c>UseOverlapGuard()</c> in a real <see cref="IChatClient"/> pipeline against a real server, with a stand-in model
/// that answers badly on purpose: each route (direct, retry, fallback, escalate, reject), a guard that fails itself,
/// and a model that throws. Every call is one stored prediction whose output, latency, tokens and cost cover all its
/// attempts; the workflow trace is read from what the SDK was handed (the server stores it once the event format has it).
/// </summary>
public sealed class GuardChatTests : IAsyncLifetime
{
    private const string Valid = """{"reply":"Hi Ann, your parcel ships today."}""";
    private const string NotJson = "I'm sorry, here is your reply: Hi Ann.";
    private const string Canned = """{"reply":"Thanks for writing; an agent will reply within a day."}""";

    // Per attempt: 100 × 0.15 / 1e6 + 20 × 0.60 / 1e6 = 0.000015 + 0.000012
    private const double CostPerAttempt = 0.000027;

    private GuardServer _server = null!;

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public async Task InitializeAsync() =>
        _server = await GuardServer.StartAsync("support-replies", File.ReadAllText(Fixture("replies.yaml")));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>The guarded pipeline over <paramref name="model"/>, with the contract (edited by <paramref name="edit"/>) read from a file beside its schema.</summary>
    private IChatClient Pipeline(
        IChatClient model,
        Func<string, string>? edit = null,
        Func<GuardFallbackContext, ChatResponse>? fallback = null
    )
    {
        var text = File.ReadAllText(Fixture("replies.yaml"));
        text = edit is null ? text : edit(text);
        var path = Path.Combine(Directory.CreateTempSubdirectory("guard-").FullName, "overlap.yaml");
        File.WriteAllText(path, text);
        File.Copy(Fixture("reply.schema.json"), Path.Combine(Path.GetDirectoryName(path)!, "reply.schema.json"));
        var guard = OverlapGuard.FromFile(path, _server.Client);
        return new ChatClientBuilder(model)
            .UseOverlapGuard(guard, o =>
            {
                o.Logging.Time = _server.Time;
                o.Logging.Prices["gpt-4o-mini"] = new ModelPrice(0.15, 0.60);
                o.Logging.PromptName = "reply";
                o.Logging.PromptVersion = "2";
                if (guard.Engine.Policy.Fallback is not null)
                {
                    o.AddFallback(
                        "canned-reply",
                        fallback ?? (_ => new ChatResponse(new ChatMessage(ChatRole.Assistant, Canned)))
                    );
                }
            })
            .Build();
    }

    private static ChatMessage[] Ask(string question) =>
        [new(ChatRole.System, "You draft replies as JSON."), new(ChatRole.User, question)];

    /// <summary>The one prediction stored for <paramref name="response"/>, and the trace the SDK was handed with it (stored the same).</summary>
    private async Task<(PredictionEvent Stored, WorkflowTrace Trace)> LoggedAsync(ChatResponse response)
    {
        var id = response.GetOverlapPredictionId()!;
        var stored = await _server.StoredAsync();
        var sent = Assert.Single(_server.Client.Predictions, p => p.Id == id);
        Assert.Equal(response.GetOverlapWorkflow(), sent.Workflow);
        // The server stores the trace as sent: route, attempts, failed checks and reason.
        Assert.Equal(sent.Workflow, stored[id].Workflow);
        return (stored[id], sent.Workflow!);
    }

    [Fact]
    public async Task AnswerThatPasses_GoesDirect()
    {
        var model = new StandInModel(_server.Time, Valid);
        using var chat = Pipeline(model);

        var response = await chat.GetResponseAsync(Ask("Where is my parcel?"));

        Assert.Equal(Valid, response.Text);
        var (stored, trace) = await LoggedAsync(response);
        Assert.Equal(new WorkflowTrace { Route = "direct", Attempts = 1 }, trace with { FailedChecks = [] });
        Assert.Empty(trace.FailedChecks);
        Assert.Equal(
            ("chatcmpl-1", Valid, 250.0, "reply@2"),
            (stored.Id, stored.Output, stored.LatencyMs, stored.ModelVersion)
        );
        Assert.Equal(CostPerAttempt, stored.Cost!.Value, 12);
    }

    [Fact]
    public async Task InvalidJsonThenValid_IsRetriedWithTheFailedChecksMessage_AndLoggedOnceForBothAttempts()
    {
        var model = new StandInModel(_server.Time, NotJson, Valid);
        using var chat = Pipeline(model);

        var response = await chat.GetResponseAsync(Ask("Where is my parcel?"));

        Assert.Equal(Valid, response.Text);
        Assert.Equal(2, model.Asked.Count);
        var retry = model.Asked[1];
        Assert.Equal(["system", "user", "assistant", "user"], retry.Select(m => m.Role.Value));
        Assert.Equal(NotJson, retry[2].Text);
        Assert.Equal(
            "Your previous answer was not accepted: format: not valid JSON ('I' is an invalid start of a value). Answer again so that it is.",
            retry[3].Text
        );
        var (stored, trace) = await LoggedAsync(response);
        Assert.Equal(("retry", 2), (trace.Route, trace.Attempts));
        Assert.Equal(["format"], trace.FailedChecks);
        Assert.Equal(
            "the first answer failed format: not valid JSON ('I' is an invalid start of a value)",
            trace.Reason
        );
        Assert.Equal(
            ("chatcmpl-2", Valid, 500.0, 200L, 40L),
            (stored.Id, stored.Output, stored.LatencyMs, stored.InputTokens, stored.OutputTokens)
        );
        Assert.Equal(2 * CostPerAttempt, stored.Cost!.Value, 12);
        Assert.Single(await _server.StoredAsync());
    }

    [Fact]
    public async Task AlwaysInvalid_FallsBackToTheApplicationsNamedAlternative()
    {
        var model = new StandInModel(_server.Time, NotJson);
        GuardFallbackContext? handed = null;
        using var chat = Pipeline(model, fallback: c =>
        {
            handed = c;
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, Canned));
        });

        var response = await chat.GetResponseAsync(Ask("Where is my parcel?"));

        Assert.Equal(Canned, response.Text);
        Assert.Equal(NotJson, handed!.LastAnswer!.Text);
        Assert.Equal(["format"], handed.Failures.Select(f => f.Name));
        var (stored, trace) = await LoggedAsync(response);
        Assert.Equal(("fallback", 2), (trace.Route, trace.Attempts));
        Assert.Equal(["format", "format"], trace.FailedChecks);
        Assert.Equal(
            "format: not valid JSON ('I' is an invalid start of a value); answered by the fallback 'canned-reply'",
            trace.Reason
        );
        Assert.Equal((Canned, 500.0), (stored.Output, stored.LatencyMs));
        Assert.Equal(2 * CostPerAttempt, stored.Cost!.Value, 12);
    }

    [Fact]
    public async Task AlwaysInvalidWithEscalateRoute_TellsTheCallerAPersonWillAnswer_AndLogsTheLastDraft()
    {
        var model = new StandInModel(_server.Time, "Hi, we guarantee a refund.");
        using var chat = Pipeline(model, edit: c =>
            c.Replace(
                "retry: { max_attempts: 2 }",
                "retry: { max_attempts: 2, then: escalate }\n  escalate: { reason: \"the draft failed its checks twice\", priority: high }",
                StringComparison.Ordinal
            )
        );

        var response = await chat.GetResponseAsync(Ask("Can I get my money back?"));

        Assert.Equal("A person will look at this and answer shortly.", response.Text);
        var (stored, trace) = await LoggedAsync(response);
        Assert.Equal(("escalate", 2, "the draft failed its checks twice"), (trace.Route, trace.Attempts, trace.Reason));
        Assert.Equal(["no_refund_promise", "format", "no_refund_promise", "format"], trace.FailedChecks);
        Assert.Equal("Hi, we guarantee a refund.", stored.Output);
        Assert.Equal(2 * CostPerAttempt, stored.Cost!.Value, 12);
    }

    [Theory]
    [InlineData("Hi", "text_length.question", "'question' has 2 characters, fewer than the least allowed, 5")]
    [InlineData(
        "Где моя посылка?",
        "script.question",
        "0 of the 13 letters of 'question' are latin; the contract expects latin text (at least 90% of its letters)"
    )]
    public async Task InputThatFailsItsExpectations_IsRejectedWithoutAskingTheModel(
        string question,
        string check,
        string why
    )
    {
        var model = new StandInModel(_server.Time, Valid);
        using var chat = Pipeline(model);

        var response = await chat.GetResponseAsync(Ask(question));

        Assert.Empty(model.Asked);
        Assert.Equal("This request cannot be answered as it is.", response.Text);
        var (stored, trace) = await LoggedAsync(response);
        Assert.Equal(
            new WorkflowTrace
            {
                Route = "reject",
                Attempts = 0,
                Reason = $"{check}: {why}",
            },
            trace with
            {
                FailedChecks = [],
            }
        );
        Assert.Equal([check], trace.FailedChecks);
        Assert.Null(stored.Output);
        Assert.Null(stored.Cost);
    }

    [Fact]
    public async Task FallbackThatThrows_IsAGuardFault_ClosedEscalates_OpenPassesTheAnswerOn()
    {
        var closedModel = new StandInModel(_server.Time, NotJson);
        using var closed = Pipeline(closedModel, fallback: _ =>
            throw new InvalidOperationException("templates are down")
        );
        var response = await closed.GetResponseAsync(Ask("Where is my parcel?"));
        Assert.Equal("A person will look at this and answer shortly.", response.Text);
        Assert.Equal(
            new WorkflowTrace
            {
                Route = "escalate",
                Attempts = 2,
                Reason =
                    "the guard failed (InvalidOperationException: templates are down); the contract's on_guard_error is closed",
            },
            response.GetOverlapWorkflow()! with
            {
                FailedChecks = [],
            }
        );

        var openModel = new StandInModel(_server.Time, NotJson);
        using var open = Pipeline(
            openModel,
            edit: c => c.Replace("on_guard_error: closed", "on_guard_error: open", StringComparison.Ordinal),
            fallback: _ => throw new InvalidOperationException("templates are down")
        );
        var unguarded = await open.GetResponseAsync(Ask("Where is my parcel?"));
        Assert.Equal(NotJson, unguarded.Text);
        var (stored, trace) = await LoggedAsync(unguarded);
        Assert.Equal(
            (
                "retry",
                2,
                "the guard failed (InvalidOperationException: templates are down); the contract's on_guard_error is open"
            ),
            (trace.Route, trace.Attempts, trace.Reason)
        );
        Assert.Equal(NotJson, stored.Output);
    }

    [Fact]
    public async Task InputTheGuardCannotRead_ClosedFallsBackWithoutTheModel_OpenAsksTheModelUnguarded()
    {
        var options = new ChatOptions
        {
            AdditionalProperties = new() { ["overlap.input.question"] = new Unreadable() },
        };
        const string Why =
            "the guard failed (FormatException: cannot be read as text); the contract's on_guard_error is ";

        var closedModel = new StandInModel(_server.Time, Valid);
        using var closed = Pipeline(closedModel);
        var fallback = await closed.GetResponseAsync(Ask("Where is my parcel?"), options);
        Assert.Empty(closedModel.Asked);
        Assert.Equal(Canned, fallback.Text);
        Assert.Equal(
            new WorkflowTrace
            {
                Route = "fallback",
                Attempts = 0,
                Reason = Why + "closed; answered by the fallback 'canned-reply'",
            },
            fallback.GetOverlapWorkflow()! with
            {
                FailedChecks = [],
            }
        );
        Assert.Empty(fallback.GetOverlapWorkflow()!.FailedChecks);

        var openModel = new StandInModel(_server.Time, NotJson);
        using var open = Pipeline(openModel, edit: c =>
            c.Replace("on_guard_error: closed", "on_guard_error: open", StringComparison.Ordinal)
        );
        var unguarded = await open.GetResponseAsync(Ask("Where is my parcel?"), options);
        Assert.Single(openModel.Asked);
        Assert.Equal(NotJson, unguarded.Text);
        var (stored, trace) = await LoggedAsync(unguarded);
        Assert.Equal(
            new WorkflowTrace
            {
                Route = "direct",
                Attempts = 1,
                Reason = Why + "open",
            },
            trace with
            {
                FailedChecks = [],
            }
        );
        Assert.Empty(trace.FailedChecks);
        Assert.Equal(CostPerAttempt, stored.Cost!.Value, 12);
    }

    /// <summary>A named input whose text cannot be read.</summary>
    private sealed class Unreadable
    {
        public override string ToString() => throw new FormatException("cannot be read as text");
    }

    [Fact]
    public async Task ModelThatThrows_IsLoggedWithItsErrorAndRethrownUnchanged()
    {
        var model = new StandInModel(_server.Time) { Failure = new HttpRequestException("provider down") };
        using var chat = Pipeline(model);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => chat.GetResponseAsync(Ask("Where is my parcel?")));

        Assert.Equal("provider down", e.Message);
        var sent = Assert.Single(_server.Client.Predictions);
        Assert.Equal(("HttpRequestException", null), (sent.Error, sent.Workflow));
        Assert.Equal("HttpRequestException", (await _server.StoredAsync())[sent.Id].Error);
    }

    [Fact]
    public async Task Streaming_IsAnsweredOnceTheWholeAnswerPassed()
    {
        var model = new StandInModel(_server.Time, NotJson, Valid);
        using var chat = Pipeline(model);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync(Ask("Where is my parcel?")))
        {
            updates.Add(update);
        }

        Assert.Equal(Valid, updates.ToChatResponse().Text);
        Assert.Equal("retry", Assert.Single(_server.Client.Predictions).Workflow!.Route);
    }

    [Fact]
    public async Task ContractPath_WithTheRegisteredClient_GuardsAndLogs()
    {
        var folder = Directory.CreateTempSubdirectory("guard-").FullName;
        File.Copy(Fixture("replies.yaml"), Path.Combine(folder, "overlap.yaml"));
        File.Copy(Fixture("reply.schema.json"), Path.Combine(folder, "reply.schema.json"));
        var model = new StandInModel(_server.Time, NotJson, Valid);
        using var chat = new ChatClientBuilder(model)
            .UseOverlapGuard(Path.Combine(folder, "overlap.yaml"), o =>
            {
                o.Logging.Time = _server.Time;
                o.AddFallback("canned-reply", _ => new ChatResponse());
            })
            .Build(new Services(_server.Client));

        var response = await chat.GetResponseAsync(Ask("Where is my parcel?"));

        Assert.Equal(Valid, response.Text);
        var (stored, trace) = await LoggedAsync(response);
        Assert.Equal(("retry", 2, Valid), (trace.Route, trace.Attempts, stored.Output));
        Assert.Equal(
            "UseOverlapGuard needs an IOverlapClient: register one with services.AddOverlap(…), or pass an OverlapGuard",
            Assert
                .Throws<InvalidOperationException>(() =>
                    new ChatClientBuilder(model).UseOverlapGuard(Path.Combine(folder, "overlap.yaml")).Build()
                )
                .Message
        );
    }

    /// <summary>A service provider with the SDK client registered, as <c>services.AddOverlap(…)</c> leaves it.</summary>
    private sealed class Services(IOverlapClient client) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IOverlapClient) ? client : null;
    }

    [Fact]
    public void Pipeline_WithUseOverlapInside_IsRefused_AndAnUnregisteredFallbackToo()
    {
        var guard = OverlapGuard.Create(
            File.ReadAllText(Fixture("replies.yaml")),
            _server.Client,
            new OverlapGuardOptions
            {
                Schemas = { ["reply.schema.json"] = File.ReadAllText(Fixture("reply.schema.json")) },
            }
        );
        var model = new StandInModel(_server.Time, Valid);
        var both = new ChatClientBuilder(model)
            .UseOverlapGuard(guard, o => o.AddFallback("canned-reply", _ => new ChatResponse()))
            .UseOverlap("support-replies", o => o.Client = _server.Client);
        Assert.Equal(
            "UseOverlapGuard logs every call itself, once with all its attempts; remove UseOverlap() from the pipeline (its options go in OverlapGuardChatOptions.Logging)",
            Assert.Throws<InvalidOperationException>(() => both.Build()).Message
        );
        Assert.Equal(
            "the contract's workflow names the fallback 'canned-reply'; register it with options.AddFallback(\"canned-reply\", …)",
            Assert
                .Throws<InvalidOperationException>(() => new ChatClientBuilder(model).UseOverlapGuard(guard).Build())
                .Message
        );
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Overlap.Tests.Shared;

/// <summary>
/// An in-process stand-in for an OpenAI-compatible endpoint, on Kestrel on a free loopback port. It implements
/// <c>POST /v1/chat/completions</c> as OpenAI's documented Chat Completions API answers: a <c>chat.completion</c>
/// object (id, object, created, model, choices[index, message{role, content}, finish_reason], usage{prompt_tokens,
/// completion_tokens, total_tokens}) or, for a failure, the status with an <c>{"error": {...}}</c> body (and
/// <c>retry-after</c> on a 429 when scripted). What it answers is scripted by a rule over the request. Every request
/// body is kept, with its arrival time, so tests can read what the real OpenAI client sent.
/// </summary>
internal sealed class OpenAiStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(JsonElement Body, TimeSpan At)> _requests = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _inFlight;
    private int _count;

    private OpenAiStandIn(WebApplication app) => _app = app;

    /// <summary>What to answer to each request; the request's 0-based index is given with it.</summary>
    public Func<StandInRequest, StandInReply> Rule { get; set; } = _ => StandInReply.Grade(1, "fine");

    /// <summary>How long each answer takes (default none).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The base address an OpenAI client is given (ends in /v1).</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The request bodies received, in order of arrival.</summary>
    public IReadOnlyList<JsonElement> Requests => [.. _requests.Select(r => r.Body)];

    /// <summary>When each request arrived, from the stand-in's start.</summary>
    public IReadOnlyList<TimeSpan> Arrivals => [.. _requests.Select(r => r.At)];

    /// <summary>The Authorization header of each request, in order of arrival.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>The most requests that were being answered at once.</summary>
    public int MostAtOnce { get; private set; }

    public static async Task<OpenAiStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new OpenAiStandIn(app);
        app.MapPost("/v1/chat/completions", standIn.AnswerAsync);
        await app.StartAsync();
        var address = app
            .Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        standIn.Endpoint = new Uri(address.TrimEnd('/') + "/v1");
        return standIn;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var now = Interlocked.Increment(ref _inFlight);
        lock (_requests)
        {
            MostAtOnce = Math.Max(MostAtOnce, now);
        }
        try
        {
            Authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
            using var document = await JsonDocument.ParseAsync(context.Request.Body);
            var body = document.RootElement.Clone();
            var index = Interlocked.Increment(ref _count) - 1;
            _requests.Enqueue((body, _clock.Elapsed));
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay);
            }
            var reply = Rule(new StandInRequest(body, index));
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = "application/json";
            if (reply.RetryAfter is { } retryAfter)
            {
                context.Response.Headers["retry-after"] = retryAfter;
            }
            var model = body.GetProperty("model").GetString();
            await context.Response.WriteAsync(reply.Status == 200 ? Completion(index, model, reply) : Error(reply));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static string Completion(int index, string? model, StandInReply reply) =>
        new JsonObject
        {
            ["id"] = $"chatcmpl-standin{index}",
            ["object"] = "chat.completion",
            ["created"] = 1_764_720_000 + index,
            ["model"] = model,
            ["choices"] = new JsonArray(
                new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject
                    {
                        ["role"] = "assistant",
                        ["content"] = reply.Content,
                        ["refusal"] = null,
                    },
                    ["logprobs"] = null,
                    ["finish_reason"] = "stop",
                }
            ),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = reply.PromptTokens,
                ["completion_tokens"] = reply.CompletionTokens,
                ["total_tokens"] = reply.PromptTokens + reply.CompletionTokens,
            },
        }.ToJsonString();

    private static string Error(StandInReply reply) =>
        new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = reply.Content,
                ["type"] = reply.Status == 429 ? "rate_limit_exceeded" : "server_error",
                ["param"] = null,
                ["code"] = null,
            },
        }.ToJsonString();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request to the stand-in.</summary>
internal sealed record StandInRequest(JsonElement Body, int Index)
{
    /// <summary>The text of the last user message.</summary>
    public string LastUser => Text(Messages.Last(m => m.GetProperty("role").GetString() == "user"));

    /// <summary>The request's messages.</summary>
    public IReadOnlyList<JsonElement> Messages => [.. Body.GetProperty("messages").EnumerateArray()];

    /// <summary>A message's text, whether its content is a string or an array of text parts.</summary>
    public static string Text(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }
}

/// <summary>What the stand-in answers.</summary>
internal sealed record StandInReply(int Status, string Content, string? RetryAfter = null)
{
    public int PromptTokens { get; init; } = 120;

    public int CompletionTokens { get; init; } = 15;

    /// <summary>A well-formed answer with a grade and reason.</summary>
    public static StandInReply Grade(int grade, string reason) =>
        new(200, JsonSerializer.Serialize(new Dictionary<string, object> { ["grade"] = grade, ["reason"] = reason }));

    /// <summary>An answer with the given text as the message content.</summary>
    public static StandInReply Text(string content) => new(200, content);

    /// <summary>A failure with the given status.</summary>
    public static StandInReply Failure(int status, string? retryAfter = null) =>
        new(status, $"The stand-in was scripted to fail with {status}.", retryAfter);
}

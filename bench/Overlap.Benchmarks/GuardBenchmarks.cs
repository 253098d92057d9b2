using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Overlap.Client;
using Overlap.Core.Contracts;
using Overlap.Core.Workflow;
using Overlap.Events;
using Overlap.Guard;

namespace Overlap.Benchmarks;

/// <summary>
/// What the contract's workflow guard adds to a call when no model judges it: the input expectations (a text's length
/// and script; required fields, ranges and categories of a scored call) and the output checks (not_contains,
/// max_length, a regex and a JSON-schema format), alone and through the whole guard (a chat pipeline with
/// <c>UseOverlapGuard()</c> over a model that answers at once; <c>OverlapGuard.Decide</c>), each with its prediction
/// built and handed to a client that drops it. The bare chat call is the baseline.
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1001 // The chat clients are disposed by [GlobalCleanup], as BenchmarkDotNet runs a suite.
public class GuardBenchmarks
#pragma warning restore CA1001
{
    private const string Generative = """
        feature: support-replies
        task: generative
        columns: { input: question, output: draft }
        checks:
          - { name: no_refund_promise, not_contains: ["guarantee a refund", "I guarantee a refund"] }
          - { name: short_enough, max_length: 600 }
          - { name: greets, regex: "\"reply\":\\s*\"(Hi|Hello|Dear)\\b" }
        workflow:
          input:
            text: { min_length: 5, max_length: 4000, script: latin }
          output:
            format: { json_schema: reply.schema.json }
          fallback: canned-reply
        """;

    private const string Schema = """
        {"type":"object","required":["reply"],"properties":{"reply":{"type":"string","minLength":1}},"additionalProperties":false}
        """;

    private const string Scored = """
        feature: spam-filter
        task: binary
        labels: { positive: spam, negative: ham }
        columns: { label: is_spam, score: p_spam }
        threshold: 0.8
        review: { when: "score between 0.5 and 0.8" }
        workflow:
          input:
            required: [subject_length, body_length, sender_domain_type]
            ranges: { subject_length: { min: 1 }, body_length: { min: 1, max: 20000 }, links: { min: 0, max: 30 } }
            categories: { sender_domain_type: [freemail, com_net, edu_org, other] }
        """;

    private const string Answer =
        """{"reply":"Hi Ann, I am sorry your parcel is late. It left our warehouse on Monday and should reach you by Thursday; the tracking link is in your account."}""";

    private static readonly ChatMessage[] Conversation =
    [
        new(ChatRole.System, "You draft replies to customers as JSON with a 'reply'."),
        new(ChatRole.User, "Where is my parcel? I ordered it ten days ago and it has still not arrived."),
    ];

    private static readonly Dictionary<string, object?> Inputs = new()
    {
        ["question"] = "Where is my parcel? I ordered it ten days ago and it has still not arrived.",
    };

    private static readonly Dictionary<string, object?> Mail = new()
    {
        ["sender_domain_type"] = "freemail",
        ["subject_length"] = 24,
        ["body_length"] = 1823,
        ["links"] = 2,
        ["attachments"] = 0,
    };

    private WorkflowGuard _engine = null!;
    private OverlapGuard _scored = null!;
    private IChatClient _bare = null!;
    private IChatClient _guarded = null!;

    [GlobalSetup]
    public void Setup()
    {
        var client = new DroppingClient();
        var options = new OverlapGuardOptions { Schemas = { ["reply.schema.json"] = Schema } };
        var guard = new OverlapGuard(ContractParser.Parse(Generative), client, options);
        _engine = guard.Engine;
        _scored = OverlapGuard.Create(Scored, client);
        _bare = new InstantModel();
        _guarded = new ChatClientBuilder(_bare)
            .UseOverlapGuard(guard, o => o.AddFallback("canned-reply", _ => new ChatResponse()))
            .Build();
        if (_engine.CheckOutput(Answer).Count != 0 || _engine.CheckInput(Inputs).Count != 0)
        {
            throw new InvalidOperationException("the benchmark's answer and question must pass the guard");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _guarded.Dispose();

    [Benchmark]
    public int CheckInput() => _engine.CheckInput(Inputs).Count;

    [Benchmark]
    public int CheckOutput() => _engine.CheckOutput(Answer).Count;

    [Benchmark]
    public GuardOutcome DecideScored() => _scored.Decide(Mail, 0.93).Outcome;

    [Benchmark(Baseline = true)]
    public async Task<int> ChatBare() => (await _bare.GetResponseAsync(Conversation)).Messages.Count;

    [Benchmark]
    public async Task<int> ChatGuarded() => (await _guarded.GetResponseAsync(Conversation)).Messages.Count;

    /// <summary>A model that answers at once, so what is measured is the guard around it.</summary>
    private sealed class InstantModel : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            CancellationToken cancellationToken = default
        ) =>
            Task.FromResult(
                new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer))
                {
                    ResponseId = "chatcmpl-1",
                    ModelId = "gpt-4o-mini",
                    Usage = new UsageDetails { InputTokenCount = 120, OutputTokenCount = 40 },
                }
            );

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            CancellationToken cancellationToken = default
        ) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }

    /// <summary>An SDK client that drops every event: the cost of sending is the SDK's, measured elsewhere.</summary>
    private sealed class DroppingClient : IOverlapClient
    {
        public OverlapClientStats Stats => new();

        public void LogPrediction(PredictionEvent prediction) { }

        public void LogOutcome(OutcomeEvent outcome) { }

        public void LogFeedback(FeedbackEvent feedback) { }

        public void LogBusiness(BusinessEvent business) { }

        public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

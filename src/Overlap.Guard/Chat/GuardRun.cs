using Microsoft.Extensions.AI;
using Overlap.Client;
using Overlap.Core.Workflow;

namespace Overlap.Guard;

/// <summary>One guarded chat call as it goes: the attempts, the checks that failed, and the tokens and cost of every answer together.</summary>
internal sealed class GuardRun(IList<ChatMessage> messages, ChatOptions? options)
{
    private readonly List<string> _failed = [];
    private bool _costUnknown;
    private double _cost;

    public IList<ChatMessage> Messages { get; } = messages;

    public ChatOptions? Options { get; } = options;

    public int Attempts { get; set; }

    public ChatResponse? LastAnswer { get; set; }

    public bool FellBack { get; set; }

    /// <summary>The model's own exception, told apart from the guard's.</summary>
    public Exception? ModelError { get; set; }

    /// <summary>The model of the last answer counted.</summary>
    public string? Model { get; private set; }

    public long? InputTokens { get; private set; }

    public long? OutputTokens { get; private set; }

    /// <summary>The cost of every answer together; null when one of them was of a model without a price.</summary>
    public double? Cost => _costUnknown || (Model is null && _cost == 0) ? null : _cost;

    public IReadOnlyList<string> Failed => [.. _failed];

    public void Fail(IReadOnlyList<GuardFailure> failures)
    {
        for (var i = 0; i < failures.Count; i++)
        {
            _failed.Add(failures[i].Name);
        }
    }

    /// <summary>Counts an answer's tokens and, from <paramref name="settings"/>' prices, its cost.</summary>
    public void Add(ChatResponse answer, string? model, OverlapChatOptions settings)
    {
        var usage = answer.Usage;
        InputTokens = Sum(InputTokens, usage?.InputTokenCount);
        OutputTokens = Sum(OutputTokens, usage?.OutputTokenCount);
        Model = model ?? Model;
        if (
            model is not null
            && settings.Prices.TryGetValue(model, out var price)
            && price.Cost(usage?.InputTokenCount, usage?.OutputTokenCount) is { } cost
        )
        {
            _cost += cost;
        }
        else
        {
            _costUnknown = true;
        }
    }

    private static long? Sum(long? a, long? b) =>
        a is null ? b
        : b is null ? a
        : a + b;
}
